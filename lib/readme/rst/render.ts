// reStructuredText blocks rendered to HTML (before sanitizing).
import { escapeHtml } from "@/lib/util/escape-html";
import { renderImage, renderInline } from "./inline";
import { type Block, parseRst, type RstDocument } from "./parse";

export function renderRst(source: string): string {
  const { blocks, doc } = parseRst(source);
  return renderBlocks(blocks, doc);
}

function renderBlocks(blocks: Block[], doc: RstDocument): string {
  return blocks.map((block) => renderBlock(block, doc)).join("\n");
}

function renderBlock(block: Block, doc: RstDocument): string {
  switch (block.kind) {
    case "title":
      return `<h${block.level} id="${escapeHtml(block.id)}">${renderInline(block.text, doc)}</h${block.level}>`;
    case "paragraph":
      return `<p>${renderInline(block.text, doc)}</p>`;
    case "literal": {
      const className = block.language !== null ? ` class="language-${escapeHtml(block.language)}"` : "";
      return `<pre><code${className}>${escapeHtml(block.text)}</code></pre>`;
    }
    case "bullets":
      return `<ul>\n${block.items.map((item) => `<li>${renderItem(item, doc)}</li>`).join("\n")}\n</ul>`;
    case "enumerated": {
      const start = block.start !== 1 ? ` start="${block.start}"` : "";
      return `<ol${start}>\n${block.items.map((item) => `<li>${renderItem(item, doc)}</li>`).join("\n")}\n</ol>`;
    }
    case "quote":
      return `<blockquote>\n${renderBlocks(block.blocks, doc)}\n</blockquote>`;
    case "definitions":
      return `<dl>\n${block.items
        .map((item) => `<dt>${renderInline(item.term, doc)}</dt>\n<dd>${renderItem(item.blocks, doc)}</dd>`)
        .join("\n")}\n</dl>`;
    case "transition":
      return "<hr>";
    case "lines":
      return `<p>${block.lines.map((line) => renderInline(line, doc)).join("<br>\n")}</p>`;
    case "image":
      return `<p>${renderImage(block.image, doc)}</p>`;
    case "aside": {
      const title = block.title !== null ? `<p><strong>${renderInline(block.title, doc)}</strong></p>\n` : "";
      return `<div>\n${title}${renderBlocks(block.blocks, doc)}\n</div>`;
    }
  }
}

/** A list item that is one paragraph renders without <p>, keeping simple lists compact as docutils does. */
function renderItem(blocks: Block[], doc: RstDocument): string {
  const [only] = blocks;
  if (blocks.length === 1 && only?.kind === "paragraph") return renderInline(only.text, doc);
  return renderBlocks(blocks, doc);
}

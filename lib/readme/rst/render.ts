// reStructuredText blocks rendered to HTML (before sanitizing).
import { escapeHtml } from "@/lib/util/escape-html";
import { renderImage, renderInline } from "./inline";
import { type Block, parseRst, type RstDocument, type Sequence, type TableCell } from "./parse";

/** HTML's own list numbering for docutils' letter and roman sequences. */
const LIST_TYPES: Partial<Record<Sequence, string>> = {
  loweralpha: "a",
  upperalpha: "A",
  lowerroman: "i",
  upperroman: "I",
};

export function renderRst(source: string): string {
  const { blocks, doc } = parseRst(source);
  // Only the first contents directive gets a table: each lists every title after it, so thousands of them would
  // make the page grow with the square of the README.
  const toc = blocks.findIndex((block) => block.kind === "contents");
  return blocks
    .map((block, k) =>
      block.kind === "contents" ? (k === toc ? renderContents(block, blocks, k, doc) : "") : renderBlock(block, doc),
    )
    .join("\n");
}

type TitleBlock = Extract<Block, { kind: "title" }>;

/**
 * A `.. contents::` table: links to the titles after it, nested by level. `:local:` limits it to the section it is
 * in; otherwise that is the whole document below its title (a contents directive sits near the top).
 */
function renderContents(
  block: Extract<Block, { kind: "contents" }>,
  blocks: Block[],
  at: number,
  doc: RstDocument,
): string {
  const before = blocks.slice(0, at).filter((b): b is TitleBlock => b.kind === "title");
  const within = block.local ? (before.at(-1)?.level ?? 0) : (before[0]?.level ?? 0);
  const entries: TitleBlock[] = [];
  for (const b of blocks.slice(at + 1)) {
    if (b.kind !== "title") continue;
    if (b.level <= within) break;
    entries.push(b);
  }
  if (entries.length === 0) return "";
  const list = (from: number, level: number, depth: number): { html: string; end: number } => {
    const items: string[] = [];
    let k = from;
    while (k < entries.length) {
      const entry = entries[k];
      if (entry === undefined || entry.level < level) break;
      k++;
      let item = `<a href="#${escapeHtml(entry.id)}">${renderInline(entry.text, doc)}</a>`;
      if ((entries[k]?.level ?? 0) > entry.level) {
        const nested = list(k, entries[k]?.level ?? 0, depth + 1);
        if (depth < block.depth) item += `\n${nested.html}`;
        k = nested.end;
      }
      items.push(`<li>${item}</li>`);
    }
    return { html: `<ul>\n${items.join("\n")}\n</ul>`, end: k };
  };
  return `<div>\n<p>${renderInline(block.title, doc)}</p>\n${list(0, entries[0]?.level ?? 0, 1).html}\n</div>`;
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
      const type = LIST_TYPES[block.sequence];
      const items = block.items.map((item) => `<li>${renderItem(item, doc)}</li>`).join("\n");
      return `<ol${type !== undefined ? ` type="${type}"` : ""}${start}>\n${items}\n</ol>`;
    }
    case "quote":
      return `<blockquote>\n${renderBlocks(block.blocks, doc)}\n</blockquote>`;
    case "definitions":
      return `<dl>\n${block.items
        .map((item) => `<dt>${renderInline(item.term, doc)}</dt>\n<dd>${renderItem(item.blocks, doc)}</dd>`)
        .join("\n")}\n</dl>`;
    case "contents":
      return ""; // needs the whole document: see renderRst
    case "options":
      return `<dl>\n${block.items
        .map((item) => `<dt><kbd>${escapeHtml(item.options)}</kbd></dt>\n<dd>${renderItem(item.blocks, doc)}</dd>`)
        .join("\n")}\n</dl>`;
    case "transition":
      return "<hr>";
    case "lines":
      // Not a paragraph in docutils either: a line block is a run of lines, each kept as written.
      return `<div>${block.lines.map((line) => renderInline(line, doc)).join("<br>\n")}</div>`;
    case "image":
      return renderImage(block.image, doc);
    case "table": {
      const cell = (c: TableCell, tag: string) =>
        `<${tag}${c.span > 1 ? ` colspan="${c.span}"` : ""}>${renderInline(c.text, doc)}</${tag}>`;
      const row = (cells: TableCell[], tag: string) => `<tr>${cells.map((c) => cell(c, tag)).join("")}</tr>`;
      const head =
        block.head.length > 0 ? `<thead>\n${block.head.map((r) => row(r, "th")).join("\n")}\n</thead>\n` : "";
      return `<table>\n${head}<tbody>\n${block.body.map((r) => row(r, "td")).join("\n")}\n</tbody>\n</table>`;
    }
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

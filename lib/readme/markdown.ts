// Markdown as GitHub renders it (CommonMark + GFM tables, heading ids), before sanitizing.
import MarkdownIt from "markdown-it";
import { githubSlug, Slugger } from "./slug";

const markdown = new MarkdownIt({ html: true, linkify: true, typographer: false });
// Fuzzy links would turn every `setup.py` into a link to Paraguay (.py). Off by default in markdown-it 15; pinned
// here so an upgrade cannot turn it back on. GFM links only explicit URLs too.
markdown.linkify.set({ fuzzyLink: false });
// GitHub gives headings ids, and READMEs' tables of contents (`[Install](#install)`) rely on it.
markdown.core.ruler.push("heading_ids", (state) => {
  const slugger = new Slugger();
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === undefined || token.type !== "heading_open" || token.attrGet("id") !== null) continue;
    const text = (tokens[i + 1]?.children ?? [])
      .filter((child) => child.type === "text" || child.type === "code_inline")
      .map((child) => child.content)
      .join("");
    const slug = slugger.unique(githubSlug(text));
    if (slug !== "") token.attrSet("id", slug);
  }
});

// markdown-it aligns table cells with a style attribute, which the sanitizer rightly strips; GFM's `align` survives.
markdown.core.ruler.push("table_align", (state) => {
  for (const token of state.tokens) {
    if ((token.type !== "th_open" && token.type !== "td_open") || token.attrs === null) continue;
    const align = /^text-align:\s*(left|right|center)$/.exec(String(token.attrGet("style") ?? ""))?.[1];
    token.attrs = token.attrs.filter(([name]) => name !== "style");
    if (align !== undefined) token.attrSet("align", align);
  }
});

export function renderMarkdown(source: string): string {
  return markdown.render(source);
}

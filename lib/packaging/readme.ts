// Renders a release's long description (its README) to sanitized HTML for the project page, as PyPI does.
import "server-only";
import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

export type DescriptionFormat = "markdown" | "rst" | "plain";

export interface RenderedDescription {
  html: string;
  format: DescriptionFormat;
}

/**
 * Which renderer a core metadata `Description-Content-Type` selects. Absent means reStructuredText, because that
 * is what readme_renderer (and so PyPI) assumes for the many packages uploaded before the field existed.
 */
export function descriptionFormat(contentType: string | null): DescriptionFormat {
  if (typeof contentType !== "string") return "rst";
  const mime = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  if (mime === "" || mime === "text/x-rst") return "rst";
  if (mime === "text/markdown") return "markdown";
  // text/plain, and anything a client invented: showing the text as written is the one rendering that can't mislead.
  return "plain";
}

/**
 * The description as HTML that is safe to inject into the project page. Never throws: a README is untrusted input
 * from any uploader, and a bad one must cost its project a pretty page, not the page itself.
 */
export function renderDescription(text: string | null, contentType: string | null): RenderedDescription {
  const format = descriptionFormat(contentType);
  if (typeof text !== "string") return { html: "", format };
  const source = normalizeSource(text);
  if (source.trim() === "") return { html: "", format };
  try {
    // Uploads cap METADATA at 5 MiB, so anything longer came from elsewhere; bound the work rather than trust it.
    if (source.length > MAX_MARKUP_LENGTH) {
      return { html: sanitize(renderPlain(source.slice(0, MAX_MARKUP_LENGTH))), format: "plain" };
    }
    const raw =
      format === "markdown" ? renderMarkdown(source) : format === "rst" ? renderRst(source) : renderPlain(source);
    if (nestingDepth(raw) > MAX_HTML_DEPTH) throw new Error("description HTML nests too deeply to sanitize");
    return { html: sanitize(raw), format };
  } catch {
    // PyPI shows a README it cannot render as plain text; a renderer bug here should degrade the same way.
    try {
      return { html: sanitize(renderPlain(source)), format: "plain" };
    } catch {
      // Fully escaped text inside <pre> carries no markup, so it is safe even without the sanitizer.
      return { html: renderPlain(source), format: "plain" };
    }
  }
}

/** Longer descriptions are shown as (truncated) plain text; see MAX_METADATA_BYTES in ./archive. */
const MAX_MARKUP_LENGTH = 5 * 1024 * 1024;

/**
 * htmlparser2, under sanitize-html, keeps open elements in an array it unshifts onto, so each open tag costs the
 * current depth: 1 MB of `<div>` (or markdown's `****…a…****`, which nests <em>/<strong>) takes 20 seconds, and
 * 5 MB minutes. No real README nests anywhere near this deep, so such input is shown as plain text instead.
 */
const MAX_HTML_DEPTH = 256;

/** Elements that never nest: void elements, and ones the parser closes when a sibling opens (`<p>a<p>b`). */
const NON_NESTING = new Set([
  "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
  "p", "li", "dt", "dd", "tr", "td", "th", "option",
]);

/**
 * An upper bound on how deep the parser's element stack gets. A closing tag counts only if its element is open,
 * as the parser ignores the rest (`<div></x>` repeated still nests); closing an element also closes any left open
 * inside it, which this does not model, so mis-nested markup can only overestimate.
 */
function nestingDepth(html: string): number {
  const open = new Map<string, number>();
  let depth = 0;
  let max = 0;
  for (const m of html.matchAll(/<(\/?)([A-Za-z][A-Za-z0-9-]*)/g)) {
    const name = (m[2] ?? "").toLowerCase();
    if (NON_NESTING.has(name)) continue;
    const count = open.get(name) ?? 0;
    if (m[1] === "/") {
      if (count === 0) continue;
      open.set(name, count - 1);
      depth--;
    } else {
      open.set(name, count + 1);
      if (++depth > max) max = depth;
    }
  }
  return max;
}

function normalizeSource(text: string): string {
  // NUL is replaced as CommonMark requires; a BOM would otherwise defeat every start-of-line rule on the first line.
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").replace(/\0/g, "\uFFFD");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function renderPlain(source: string): string {
  return `<pre>${escapeHtml(source)}</pre>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Sanitizing

/**
 * Ids and same-page links from a README are namespaced, as GitHub does, so a heading called "Files" can neither
 * collide with the page's own anchors nor clobber globals the page's scripts read through `window[id]`.
 */
const USER_CONTENT_PREFIX = "user-content-";

const HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"] as const;

/** The classes our renderers emit for code, plus GitHub's highlight wrappers that READMEs paste as raw HTML. */
const CODE_CLASSES = ["language-*", "highlight", "highlight-*"];

function prefixedId(id: string): string {
  return id.startsWith(USER_CONTENT_PREFIX) ? id : USER_CONTENT_PREFIX + id;
}

function namespaceHeading(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const { id, ...rest } = attribs;
  return { tagName, attribs: id !== undefined && id.trim() !== "" ? { ...rest, id: prefixedId(id.trim()) } : rest };
}

// Built once: sanitize-html compiles its option maps per call, but the object itself never changes.
const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  // readme_renderer's bleach allowlist, minus what this page has no use for (input, section, picture/source).
  allowedTags: [
    ...HEADINGS,
    "p", "br", "hr", "a", "abbr", "acronym", "b", "i", "em", "strong", "blockquote", "code", "pre", "kbd", "samp",
    "var", "tt", "span", "div", "li", "ol", "ul", "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tfoot",
    "tr", "th", "td", "img", "sup", "sub", "del", "s", "ins", "cite", "q", "details", "summary",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    abbr: ["title"],
    acronym: ["title"],
    img: ["src", "alt", "title", "width", "height"],
    th: ["align", "colspan", "rowspan"],
    td: ["align", "colspan", "rowspan"],
    code: ["class"],
    pre: ["class"],
    span: ["class"],
    div: ["class"],
    ol: ["start"],
    details: ["open"],
    ...Object.fromEntries(HEADINGS.map((h) => [h, ["id"]])),
  },
  allowedClasses: { code: CODE_CLASSES, pre: CODE_CLASSES, span: CODE_CLASSES, div: CODE_CLASSES },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
  allowProtocolRelative: true,
  disallowedTagsMode: "discard",
  // Their contents are code or chrome, never prose worth keeping once the tag is gone.
  nonTextTags: ["script", "style", "textarea", "option", "xmp", "noscript", "template", "title", "noembed", "noframes"],
  // No style attribute is allowed, so postcss never needs to see one.
  parseStyleAttributes: false,
  transformTags: {
    a: (tagName, attribs) => {
      // READMEs are user-generated content linking anywhere: no ranking credit, no window.opener for the target.
      const next: sanitizeHtml.Attributes = { ...attribs, rel: "nofollow ugc noopener" };
      const href = attribs.href?.trim();
      if (href !== undefined && href.length > 1 && href.startsWith("#")) next.href = "#" + prefixedId(href.slice(1));
      return { tagName, attribs: next };
    },
    img: (tagName, attribs) => {
      // Relative images would load from this index itself (its own GET endpoints, with the visitor's cookies),
      // and other schemes are tracking or script vectors: only absolute http(s) images, else show the alt text.
      const src = attribs.src?.trim() ?? "";
      if (/^https?:\/\//i.test(src)) return { tagName, attribs: { ...attribs, src } };
      return { tagName: "span", attribs: {}, text: attribs.alt ?? "" };
    },
    ...Object.fromEntries(HEADINGS.map((h) => [h, namespaceHeading])),
  },
};

function sanitize(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS);
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown

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

function renderMarkdown(source: string): string {
  return markdown.render(source);
}

/** GitHub's heading anchor: lowercase, punctuation dropped, each space a hyphen. */
function githubSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** docutils' make_id: ASCII letters, digits and single hyphens, starting with a letter. */
function docutilsSlug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+|-+$/g, "");
}

/** Repeated headings get -1, -2… as on GitHub and in docutils, so every id stays unique in the page. */
class Slugger {
  private readonly seen = new Set<string>();
  /** The next suffix to try per slug, so a README repeating one heading thousands of times stays linear. */
  private readonly nextSuffix = new Map<string, number>();

  unique(slug: string): string {
    if (slug === "") return "";
    let candidate = slug;
    let n = this.nextSuffix.get(slug) ?? 1;
    while (this.seen.has(candidate)) candidate = `${slug}-${n++}`;
    this.nextSuffix.set(slug, n);
    this.seen.add(candidate);
    return candidate;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// reStructuredText
//
// Not docutils: a forgiving subset covering what READMEs use. Where docutils would report an error (and PyPI would
// fall back to plain text) this renders the nearest sensible thing instead, and constructs it does not know are
// shown as text or dropped, never executed: `raw` and `include` in particular are ignored, as PyPI disables them.

interface RstImage {
  uri: string;
  alt: string | null;
  target: string | null;
  width: string | null;
  height: string | null;
}

type Block =
  | { kind: "title"; level: number; text: string; id: string }
  | { kind: "paragraph"; text: string }
  | { kind: "literal"; text: string; language: string | null }
  | { kind: "bullets"; items: Block[][] }
  | { kind: "enumerated"; start: number; items: Block[][] }
  | { kind: "quote"; blocks: Block[] }
  | { kind: "definitions"; items: { term: string; blocks: Block[] }[] }
  | { kind: "transition" }
  | { kind: "lines"; lines: string[] }
  | { kind: "image"; image: RstImage }
  | { kind: "aside"; title: string | null; blocks: Block[] };

type Substitution = { kind: "image"; image: RstImage } | { kind: "text"; text: string };

/** What the block pass learns about the whole document, which the inline pass needs to resolve references. */
interface RstDocument {
  /** Title adornment styles in order of first appearance; a style's index is its heading level minus one. */
  titleStyles: string[];
  slugger: Slugger;
  targets: Map<string, string>;
  anonymousTargets: string[];
  anonymousUsed: number;
  substitutions: Map<string, Substitution>;
}

/** Deeper nesting is an attack or an accident (`- - - - …` nests a list per dash); the rest is shown as text. */
const MAX_RST_DEPTH = 24;

function renderRst(source: string): string {
  const doc: RstDocument = {
    titleStyles: [],
    slugger: new Slugger(),
    targets: new Map(),
    anonymousTargets: [],
    anonymousUsed: 0,
    substitutions: new Map(),
  };
  collectEmbeddedTargets(source, doc);
  const lines = source.split("\n").map((line) => expandTabs(line).trimEnd());
  const blocks = parseBlocks(lines, doc, 0);
  return renderBlocks(blocks, doc);
}

function expandTabs(line: string): string {
  if (!line.includes("\t")) return line;
  let out = "";
  for (const c of line) out += c === "\t" ? " ".repeat(8 - (out.length % 8)) : c;
  return out;
}

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 32) n++;
  return n;
}

/**
 * The lines from `start` that are indented (blank lines included only when more indented lines follow),
 * dedented by their common indentation: the body of a list item, directive, definition or block quote.
 */
function indentedBlock(lines: string[], start: number): { block: string[]; end: number } {
  let end = start;
  let minIndent = Infinity;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line === "") continue;
    const indent = indentOf(line);
    if (indent === 0) break;
    minIndent = Math.min(minIndent, indent);
    end = i + 1;
  }
  return { block: lines.slice(start, end).map((line) => line.slice(minIndent)), end };
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start] === "") start++;
  while (end > start && lines[end - 1] === "") end--;
  return lines.slice(start, end);
}

function dedent(lines: string[]): string[] {
  let minIndent = Infinity;
  for (const line of lines) if (line !== "") minIndent = Math.min(minIndent, indentOf(line));
  return minIndent === Infinity || minIndent === 0 ? lines : lines.map((line) => line.slice(minIndent));
}

/** A line made of one punctuation character repeated: a section title's underline or overline, or a transition. */
function adornmentChar(line: string): string | null {
  return /^([!-/:-@[-`{-~])\1+$/.exec(line)?.[1] ?? null;
}

function matchTitle(lines: string[], i: number): { style: string; text: string; end: number } | null {
  const line = lines[i] ?? "";
  const next = lines[i + 1];
  if (next === undefined || next === "") return null;
  const over = adornmentChar(line);
  if (over !== null) {
    const under = adornmentChar(lines[i + 2] ?? "");
    if (under === over && adornmentChar(next) === null) return { style: `over${over}`, text: next.trim(), end: i + 3 };
    return null;
  }
  const under = adornmentChar(next);
  if (under === null || indentOf(line) > 0) return null;
  // docutils wants the underline as long as the title; a short one is a typo, not a different construct. But two
  // characters under a longer line are no underline, so a paragraph followed by a stray `::` or `..` stays one.
  if (next.length < 3 && next.length < line.trim().length) return null;
  return { style: under, text: line.trim(), end: i + 2 };
}

function makeTitle(doc: RstDocument, style: string, text: string): Block {
  let index = doc.titleStyles.indexOf(style);
  if (index === -1) index = doc.titleStyles.push(style) - 1;
  const plain = text.replace(/[`*|]/g, "").replace(/_+$/, "");
  const id = doc.slugger.unique(docutilsSlug(plain) || "section");
  // Section titles are implicit hyperlink targets: `Installation`_ links to the section.
  const name = normalizeRefName(plain);
  if (!doc.targets.has(name)) doc.targets.set(name, `#${id}`);
  return { kind: "title", level: Math.min(index + 1, 6), text, id };
}

function normalizeRefName(name: string): string {
  return name.replace(/\s+/g, " ").trim().toLowerCase();
}

const BULLET = /^([-*+\u2022\u2023\u2043])(?: +(.*))?$/;
const ENUMERATOR = /^(?:(\d{1,9}|#)([.)])|\((\d{1,9}|#)\))(?: +(.*))?$/;
const FIELD = /^:((?:[^:`\\]|\\.)+):(?: +(.*))?$/;
const LINE_BLOCK = /^\|(?: +(.*))?$/;
const GRID_TABLE_BORDER = /^\+(?:[-=]+\+)+$/;
const SIMPLE_TABLE_BORDER = /^=+(?: +=+)+$/;

function enumeratorStyle(match: RegExpExecArray): string {
  return match[3] !== undefined ? "()" : (match[2] ?? ".");
}

function parseBlocks(lines: string[], doc: RstDocument, depth: number): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (line === "") {
      i++;
      continue;
    }
    if (depth > MAX_RST_DEPTH) {
      blocks.push({ kind: "literal", text: trimBlankLines(lines.slice(i)).join("\n"), language: null });
      break;
    }
    const next = lines[i + 1] ?? "";

    if (indentOf(line) > 0) {
      const { block, end } = indentedBlock(lines, i);
      blocks.push({ kind: "quote", blocks: parseBlocks(block, doc, depth + 1) });
      i = end;
      continue;
    }

    // docutils only allows sections at the top level; inside a list or quote these are ordinary text.
    if (depth === 0) {
      const title = matchTitle(lines, i);
      if (title !== null) {
        blocks.push(makeTitle(doc, title.style, title.text));
        i = title.end;
        continue;
      }
      if (adornmentChar(line) !== null && line.length >= 4 && next === "") {
        blocks.push({ kind: "transition" });
        i++;
        continue;
      }
    }

    if (line === ".." || line.startsWith(".. ")) {
      // An empty comment followed by a blank line ends there: the indented block after it is a quote.
      if (line.trim() === ".." && next === "") {
        i++;
        continue;
      }
      const { block, end } = indentedBlock(lines, i + 1);
      blocks.push(...explicitMarkup(line.slice(3).trim(), block, doc, depth));
      i = end;
      continue;
    }

    // `__ url` is shorthand for the anonymous target `.. __: url`.
    if (line.startsWith("__ ")) {
      const { block, end } = indentedBlock(lines, i + 1);
      defineTarget(`__:${line.slice(2)}`, block, doc);
      i = end;
      continue;
    }

    const field = FIELD.exec(line);
    if (field !== null) {
      const items: { term: string; blocks: Block[] }[] = [];
      for (let m: RegExpExecArray | null = field; m !== null; m = FIELD.exec(lines[i] ?? "")) {
        const { block, end } = indentedBlock(lines, i + 1);
        const body = m[2] !== undefined ? [m[2], ...block] : block;
        items.push({ term: m[1] ?? "", blocks: parseBlocks(body, doc, depth + 1) });
        i = end;
        while (lines[i] === "") i++;
      }
      blocks.push({ kind: "definitions", items });
      continue;
    }

    const bullet = BULLET.exec(line);
    if (bullet !== null) {
      const marker = bullet[1];
      const items: Block[][] = [];
      for (let m: RegExpExecArray | null = bullet; m !== null && m[1] === marker; m = BULLET.exec(lines[i] ?? "")) {
        const { block, end } = indentedBlock(lines, i + 1);
        const body = m[2] !== undefined ? [m[2], ...block] : block;
        items.push(parseBlocks(body, doc, depth + 1));
        i = end;
        while (lines[i] === "") i++;
      }
      blocks.push({ kind: "bullets", items });
      continue;
    }

    const enumerator = ENUMERATOR.exec(line);
    // As in docutils, "2019. was a good year" followed by more text is a paragraph, not a list: a real first item
    // ends at a blank line, continues indented, or is followed by the next item.
    if (enumerator !== null && (next === "" || indentOf(next) > 0 || isNextEnumerator(next, enumerator))) {
      const style = enumeratorStyle(enumerator);
      const first = enumerator[1] ?? enumerator[3] ?? "#";
      const items: Block[][] = [];
      for (
        let m: RegExpExecArray | null = enumerator;
        m !== null && enumeratorStyle(m) === style;
        m = ENUMERATOR.exec(lines[i] ?? "")
      ) {
        const { block, end } = indentedBlock(lines, i + 1);
        const body = m[4] !== undefined ? [m[4], ...block] : block;
        items.push(parseBlocks(body, doc, depth + 1));
        i = end;
        while (lines[i] === "") i++;
      }
      blocks.push({ kind: "enumerated", start: first === "#" ? 1 : Number(first), items });
      continue;
    }

    if (LINE_BLOCK.test(line)) {
      const out: string[] = [];
      for (; i < lines.length; i++) {
        const current = lines[i] ?? "";
        const m = LINE_BLOCK.exec(current);
        if (m !== null) out.push(m[1] ?? "");
        else if (current !== "" && indentOf(current) > 0 && out.length > 0) out[out.length - 1] += " " + current.trim();
        else break;
      }
      blocks.push({ kind: "lines", lines: out });
      continue;
    }

    if (line.startsWith(">>>")) {
      const start = i;
      while (i < lines.length && lines[i] !== "") i++;
      blocks.push({ kind: "literal", text: lines.slice(start, i).join("\n"), language: "pycon" });
      continue;
    }

    // Tables are shown as the author laid them out: readable, and honest about not being parsed.
    if (GRID_TABLE_BORDER.test(line)) {
      const start = i;
      while (i < lines.length && lines[i] !== "") i++;
      blocks.push({ kind: "literal", text: lines.slice(start, i).join("\n"), language: null });
      continue;
    }
    if (SIMPLE_TABLE_BORDER.test(line)) {
      const end = simpleTableEnd(lines, i);
      blocks.push({ kind: "literal", text: trimBlankLines(lines.slice(i, end)).join("\n"), language: null });
      i = end;
      continue;
    }

    // A one-line term directly followed by an indented definition ("Example::" so followed is a literal block).
    if (next !== "" && indentOf(next) > 0 && !line.endsWith("::")) {
      const items: { term: string; blocks: Block[] }[] = [];
      while (i < lines.length) {
        const term = lines[i] ?? "";
        const definition = lines[i + 1] ?? "";
        if (term === "" || indentOf(term) > 0 || definition === "" || indentOf(definition) === 0) break;
        if (items.length > 0 && startsOtherConstruct(term)) break;
        const { block, end } = indentedBlock(lines, i + 1);
        items.push({ term, blocks: parseBlocks(block, doc, depth + 1) });
        i = end;
        while (lines[i] === "") i++;
      }
      blocks.push({ kind: "definitions", items });
      continue;
    }

    // Paragraph: runs to a blank line, an unexpected indent (a quote follows), or a section title.
    const paragraph = [line];
    let j = i + 1;
    while (j < lines.length) {
      const current = lines[j] ?? "";
      if (current === "" || indentOf(current) > 0) break;
      if (depth === 0 && matchTitle(lines, j) !== null) break;
      paragraph.push(current);
      j++;
    }
    i = j;
    let text = paragraph.join("\n");
    if (text.endsWith("::")) {
      // "Paragraph::" introduces a literal block; the marker shows as ":" (or vanishes after a space or alone).
      text = text === "::" ? "" : /\s::$/.test(text) ? text.slice(0, -3).trimEnd() : text.slice(0, -1);
      if (text !== "") blocks.push({ kind: "paragraph", text });
      const { block, end } = indentedBlock(lines, i);
      if (block.length > 0) {
        blocks.push({ kind: "literal", text: trimBlankLines(block).join("\n"), language: null });
        i = end;
      }
      continue;
    }
    blocks.push({ kind: "paragraph", text });
  }
  return blocks;
}

function isNextEnumerator(line: string, first: RegExpExecArray): boolean {
  const m = ENUMERATOR.exec(line);
  return m !== null && enumeratorStyle(m) === enumeratorStyle(first);
}

function startsOtherConstruct(line: string): boolean {
  return line.startsWith(".. ") || line === ".." || BULLET.test(line) || FIELD.test(line) || line.startsWith(">>>");
}

/** A simple table ends at a border line followed by a blank line; without one, at the first blank line. */
function simpleTableEnd(lines: string[], start: number): number {
  for (let k = start + 1; k < lines.length; k++) {
    if (lines[k] !== "") continue;
    if (k - 1 > start && SIMPLE_TABLE_BORDER.test(lines[k - 1] ?? "")) return k;
    if ((lines[k + 1] ?? "") === "") return k;
  }
  return lines.length;
}

const ADMONITION_TITLES: Readonly<Record<string, string>> = {
  attention: "Attention",
  caution: "Caution",
  danger: "Danger",
  error: "Error",
  hint: "Hint",
  important: "Important",
  note: "Note",
  tip: "Tip",
  warning: "Warning",
  seealso: "See also",
  todo: "Todo",
};

/** Directives whose body is code or preformatted text, with the language their content is in (if fixed). */
const LITERAL_DIRECTIVES: ReadonlyMap<string, string | null> = new Map([
  ["parsed-literal", null],
  ["math", null],
  ["csv-table", null],
  ["productionlist", null],
  ["doctest", "pycon"],
  ["testcode", "python"],
  ["testoutput", null],
]);

/** Directives whose argument names the language of their code. */
const CODE_DIRECTIVES = new Set(["code-block", "code", "sourcecode", "ipython"]);

/**
 * Directives dropped outright: raw HTML and file inclusion are disabled on PyPI for safety, and the rest are
 * Sphinx or document machinery with nothing to show on a project page.
 */
const DROPPED_DIRECTIVES = new Set([
  "raw", "include", "literalinclude", "contents", "toctree", "meta", "highlight", "default-role", "role", "sectnum",
  "section-numbering", "header", "footer", "title", "target-notes", "index", "tabularcolumns", "autosummary",
  "currentmodule", "module", "py:module", "py:currentmodule", "testsetup", "testcleanup",
]);

const OPTION_LINE = /^:[^:\s][^:]*:(?:\s|$)/;

/**
 * A directive body: option lines (`:alt: …`, possibly continued by indented lines), then the content, both
 * trimmed of blank lines (`content`) and as written (`rest`, whose leading blank line separates paragraphs).
 */
function directiveBody(body: string[]): { options: Map<string, string>; content: string[]; rest: string[] } {
  const options = new Map<string, string>();
  let j = 0;
  let last: string | null = null;
  while (j < body.length) {
    const line = body[j] ?? "";
    if (line === "") break;
    const m = /^:([^:\s][^:]*):(?:\s+(.*))?$/.exec(line);
    if (m !== null) {
      last = (m[1] ?? "").toLowerCase();
      options.set(last, (m[2] ?? "").trim());
    } else if (last !== null && indentOf(line) > 0) {
      options.set(last, `${options.get(last) ?? ""} ${line.trim()}`.trim());
    } else {
      break;
    }
    j++;
  }
  const rest = body.slice(j);
  return { options, content: dedent(trimBlankLines(rest)), rest };
}

/** Lines continuing a directive's argument, before any option line or blank line. */
function argumentLines(args: string, body: string[]): { argument: string; rest: string[] } {
  const parts = [args];
  let j = 0;
  for (; j < body.length && body[j] !== "" && !OPTION_LINE.test(body[j] ?? ""); j++) parts.push(body[j] ?? "");
  return { argument: parts.join(" ").trim(), rest: body.slice(j) };
}

function parseImage(args: string, body: string[]): { image: RstImage; content: string[] } {
  const { argument, rest } = argumentLines(args, body);
  const { options, content } = directiveBody(rest);
  const image: RstImage = {
    uri: argument.replace(/\s+/g, ""),
    alt: options.get("alt") ?? null,
    target: options.has("target") ? (options.get("target") ?? "").replace(/\s+/g, "") : null,
    width: options.get("width") ?? null,
    height: options.get("height") ?? null,
  };
  return { image, content };
}

/** `.. something`: a directive, hyperlink target, substitution definition, footnote, or else a comment. */
function explicitMarkup(rest: string, body: string[], doc: RstDocument, depth: number): Block[] {
  if (rest.startsWith("_")) {
    defineTarget(rest, body, doc);
    return [];
  }

  const substitution = /^\|([^|]+)\|\s+([\w.+:-]+)::(?:\s+(.*))?$/.exec(rest);
  if (substitution !== null) {
    const name = normalizeRefName(substitution[1] ?? "");
    const directive = (substitution[2] ?? "").toLowerCase();
    const args = substitution[3] ?? "";
    if (directive === "image") {
      const { image } = parseImage(args, body);
      if (image.alt === null) image.alt = substitution[1] ?? null;
      if (image.uri !== "" && !doc.substitutions.has(name)) doc.substitutions.set(name, { kind: "image", image });
    } else if (directive === "replace" && !doc.substitutions.has(name)) {
      doc.substitutions.set(name, { kind: "text", text: [args, ...body].join(" ").replace(/\s+/g, " ").trim() });
    }
    return [];
  }

  const footnote = /^\[([^\]]+)\](?:\s+(.*))?$/.exec(rest);
  if (footnote !== null) {
    const content = footnote[2] !== undefined ? [footnote[2], ...body] : body;
    const term = `[${footnote[1] ?? ""}]`;
    return [{ kind: "definitions", items: [{ term, blocks: parseBlocks(content, doc, depth + 1) }] }];
  }

  const directive = /^([A-Za-z0-9][\w.+:-]*?)::(?:\s+(.*))?$/.exec(rest);
  if (directive === null) return []; // a comment

  const name = (directive[1] ?? "").toLowerCase();
  const args = (directive[2] ?? "").trim();
  if (DROPPED_DIRECTIVES.has(name) || name.startsWith("auto")) return [];

  if (CODE_DIRECTIVES.has(name) || LITERAL_DIRECTIVES.has(name)) {
    const { content } = directiveBody(body);
    const language = CODE_DIRECTIVES.has(name) ? (args.split(/\s+/)[0] ?? "") : (LITERAL_DIRECTIVES.get(name) ?? "");
    // The language becomes a class name; anything but a plain identifier is dropped rather than escaped into one.
    return [{ kind: "literal", text: content.join("\n"), language: /^[\w+#.-]+$/.test(language) ? language : null }];
  }

  if (name === "image" || name === "figure") {
    const { image, content } = parseImage(args, body);
    const blocks: Block[] = image.uri !== "" ? [{ kind: "image", image }] : [];
    return [...blocks, ...parseBlocks(content, doc, depth + 1)];
  }

  const { content, rest: afterOptions } = directiveBody(body);
  const admonition = ADMONITION_TITLES[name];
  if (admonition !== undefined) {
    // Admonitions take no argument: text on the directive line is the start of the content.
    const lines = args !== "" ? [args, ...afterOptions] : afterOptions;
    return [{ kind: "aside", title: admonition, blocks: parseBlocks(lines, doc, depth + 1) }];
  }
  if (name === "versionadded" || name === "versionchanged" || name === "deprecated") {
    const verb = name === "versionadded" ? "Added in" : name === "versionchanged" ? "Changed in" : "Deprecated since";
    const [version = "", ...explanation] = args.split(/\s+/);
    const lines = explanation.length > 0 ? [explanation.join(" "), ...afterOptions] : afterOptions;
    return [{ kind: "aside", title: `${verb} version ${version}`, blocks: parseBlocks(lines, doc, depth + 1) }];
  }
  if (name === "admonition" || name === "topic" || name === "sidebar") {
    return [{ kind: "aside", title: args || null, blocks: parseBlocks(content, doc, depth + 1) }];
  }
  if (name === "rubric") return args !== "" ? [{ kind: "paragraph", text: args }] : [];
  // Anything else (container, class, only, tabs, list-table, …): the content is still the author's prose.
  return content.length > 0 ? [{ kind: "aside", title: null, blocks: parseBlocks(content, doc, depth + 1) }] : [];
}

/** `.. _name: url`, `` .. _`odd: name`: url ``, `.. __: url` (anonymous); an empty URL is an internal target. */
function defineTarget(rest: string, body: string[], doc: RstDocument): void {
  let name: string;
  let after: string;
  if (rest.startsWith("__:")) {
    name = "";
    after = rest.slice(3);
  } else if (rest.startsWith("_`")) {
    const close = rest.indexOf("`:", 2);
    if (close === -1) return;
    name = rest.slice(2, close);
    after = rest.slice(close + 2);
  } else {
    const m = /^_((?:[^:\\]|\\.)+):(?:\s+(.*))?$/.exec(rest);
    if (m === null) return;
    name = m[1] ?? "";
    after = m[2] ?? "";
  }
  const url = [after, ...body].join("").replace(/\s+/g, "");
  if (url === "") return;
  if (name === "") doc.anonymousTargets.push(url);
  else if (!doc.targets.has(normalizeRefName(name))) doc.targets.set(normalizeRefName(name), url);
}

/** `` `text <url>`_ `` also defines a target named `text`, usable before its definition, so find them up front. */
function collectEmbeddedTargets(source: string, doc: RstDocument): void {
  if (!source.includes(">`_")) return;
  // Greedy classes that exclude the delimiters keep this linear however hostile the input.
  for (const m of source.matchAll(/`([^`<>]*)<([^<>`]+)>`_(?!_)/g)) {
    const name = normalizeRefName(m[1] ?? "");
    const url = (m[2] ?? "").replace(/\s+/g, "");
    if (name !== "" && url !== "" && !url.endsWith("_") && !doc.targets.has(name)) doc.targets.set(name, url);
  }
}

/** The URL a reference name points at, following one indirect target (`.. _a: b_`). */
function resolveTarget(doc: RstDocument, name: string): string | null {
  let url = doc.targets.get(normalizeRefName(name)) ?? null;
  for (let hops = 0; url !== null && hops < 5 && /^\S+_$/.test(url) && !url.startsWith("#"); hops++) {
    url = doc.targets.get(normalizeRefName(url.slice(0, -1).replace(/^`|`$/g, ""))) ?? null;
  }
  return url;
}

function resolveUrlOrReference(doc: RstDocument, url: string): string | null {
  return /^[^\s/:]+_$/.test(url) ? resolveTarget(doc, url.slice(0, -1).replace(/^`|`$/g, "")) : url;
}

// --- rendering

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

function renderImage(image: RstImage, doc: RstDocument): string {
  const attrs = [`src="${escapeHtml(image.uri)}"`, `alt="${escapeHtml(image.alt ?? "")}"`];
  for (const [name, value] of [["width", image.width], ["height", image.height]] as const) {
    const size = value !== null ? /^(\d+(?:\.\d+)?)(px|%)?$/.exec(value.trim()) : null;
    if (size !== null) attrs.push(`${name}="${size[2] === "%" ? size[1] + "%" : size[1]}"`);
  }
  const img = `<img ${attrs.join(" ")}>`;
  const href = image.target !== null ? resolveUrlOrReference(doc, image.target) : null;
  return href !== null ? `<a href="${escapeHtml(href)}">${img}</a>` : img;
}

// --- inline markup

const START_PRECEDERS = /[\s'"([{<\-/:\u2018\u201c\u2019\u00ab\u00a1\u00bf\u2010-\u2014]/u;
const END_FOLLOWERS = /[\s'")\]}>\-/:.,;!?\\\u2019\u201d\u00bb\u2010-\u2014]/u;
const WHITESPACE = /\s/;
// Role names are short; the bound keeps hostile `-:a-:a-:a…` input from rescanning the rest of the text per colon.
const ROLE_PREFIX = /:([A-Za-z0-9][\w.+:-]{0,63}?):`/y;
const ROLE_SUFFIX = /:([A-Za-z0-9][\w.+:-]{0,63}?):/y;
const FOOTNOTE_REFERENCE = /\[(#?[\w.-]*|\*)\]_/y;

/** Characters that can begin inline markup; everything else is plain text and skips the checks. */
const MARKUP_STARTS = new Set(["`", "*", "|", ":", "[", "_"]);

/** Roles shown as code: docutils' literal roles and the Sphinx cross-references READMEs borrow from their docs. */
const CODE_ROLES = new Set([
  "code", "literal", "samp", "file", "command", "program", "envvar", "option", "makevar", "mailheader", "regexp",
  "class", "func", "meth", "mod", "attr", "exc", "data", "obj", "const", "type", "var",
]);

interface InlineState {
  doc: RstDocument;
  /** Per delimiter, the earliest position from which a search for its end already failed (keeps scanning linear). */
  noEndFrom: Map<string, number>;
}

/** Length of the reference or role suffix after a closing backtick or bar (`` `x`_ ``, `` `x`:code: ``, `|x|__`). */
function suffixLength(src: string, at: number, delimiter: string): number {
  if (src.startsWith("__", at)) return 2;
  if (src[at] === "_") return 1;
  if (delimiter === "`") {
    ROLE_SUFFIX.lastIndex = at;
    const m = ROLE_SUFFIX.exec(src);
    if (m !== null) return m[0].length;
  }
  return 0;
}

/**
 * Where the end-string for inline markup opened just before `from` is: not after whitespace, and followed by the
 * end of text, whitespace or punctuation. A failed search is remembered, since a later start can only see less.
 */
function findEnd(src: string, from: number, delimiter: string, state: InlineState): number {
  const failedFrom = state.noEndFrom.get(delimiter);
  if (failedFrom !== undefined && from >= failedFrom) return -1;
  const takesSuffix = delimiter === "`" || delimiter === "|";
  for (let k = src.indexOf(delimiter, from); k !== -1; k = src.indexOf(delimiter, k + 1)) {
    if (k === from) continue;
    const before = src[k - 1] ?? "";
    if (WHITESPACE.test(before) || (delimiter !== "``" && before === "\\")) continue;
    const after = k + delimiter.length + (takesSuffix ? suffixLength(src, k + delimiter.length, delimiter) : 0);
    const follower = src[after];
    if (follower === undefined || END_FOLLOWERS.test(follower)) return k;
  }
  state.noEndFrom.set(delimiter, Math.min(from, failedFrom ?? Infinity));
  return -1;
}

/** Backslash escapes removed: `\*` is a literal asterisk, and an escaped space disappears. */
function unescapeRst(text: string): string {
  return text.replace(/\\(\s)|\\([\s\S])/g, (_, _space: string | undefined, c: string | undefined) => c ?? "");
}

function renderInline(src: string, doc: RstDocument): string {
  const state: InlineState = { doc, noEndFrom: new Map() };
  const out: string[] = [];
  let text = "";
  let segmentStart = 0;
  const flushText = (until: number) => {
    text += src.slice(segmentStart, until);
    if (text !== "") out.push(renderText(text, doc));
    text = "";
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? "";
    if (c === "\\") {
      text += src.slice(segmentStart, i);
      const escaped = src[i + 1];
      if (escaped !== undefined && !WHITESPACE.test(escaped)) text += escaped;
      i += 2;
      segmentStart = i;
      continue;
    }
    if (MARKUP_STARTS.has(c) && (i === 0 || START_PRECEDERS.test(src[i - 1] ?? ""))) {
      const piece = inlineMarkup(src, i, state);
      if (piece !== null) {
        flushText(i);
        out.push(piece.html);
        i = piece.end;
        segmentStart = i;
        continue;
      }
    }
    i++;
  }
  flushText(src.length);
  return out.join("");
}

function inlineMarkup(src: string, i: number, state: InlineState): { html: string; end: number } | null {
  const doc = state.doc;
  const opensOn = (length: number) => {
    const next = src[i + length];
    return next !== undefined && !WHITESPACE.test(next);
  };

  if (src.startsWith("``", i)) {
    if (!opensOn(2)) return null;
    const end = findEnd(src, i + 2, "``", state);
    // An unmatched opener is text; consuming it keeps `` from being retried as a single backtick.
    if (end === -1) return { html: "``", end: i + 2 };
    return { html: `<code>${escapeHtml(src.slice(i + 2, end))}</code>`, end: end + 2 };
  }
  if (src.startsWith("**", i)) {
    if (!opensOn(2)) return null;
    const end = findEnd(src, i + 2, "**", state);
    if (end === -1) return { html: "**", end: i + 2 };
    return { html: `<strong>${escapeHtml(unescapeRst(src.slice(i + 2, end)))}</strong>`, end: end + 2 };
  }
  const c = src[i];
  if (c === "*") {
    if (!opensOn(1)) return null;
    const end = findEnd(src, i + 1, "*", state);
    if (end === -1) return null;
    return { html: `<em>${escapeHtml(unescapeRst(src.slice(i + 1, end)))}</em>`, end: end + 1 };
  }
  if (c === "`" || c === ":") {
    let role: string | null = null;
    let open = i;
    if (c === ":") {
      ROLE_PREFIX.lastIndex = i;
      const m = ROLE_PREFIX.exec(src);
      if (m === null) return null;
      role = (m[1] ?? "").toLowerCase();
      open = i + m[0].length - 1;
    }
    if (src[open + 1] === undefined || WHITESPACE.test(src[open + 1] ?? "")) return null;
    const end = findEnd(src, open + 1, "`", state);
    if (end === -1) return null;
    const content = src.slice(open + 1, end);
    let after = end + 1;
    const suffix = suffixLength(src, after, "`");
    if (suffix > 0 && src[after] === "_") {
      after += suffix;
      return { html: renderReference(content, suffix === 2, doc), end: after };
    }
    if (suffix > 0 && role === null) role = src.slice(after + 1, after + suffix - 1).toLowerCase();
    after += suffix;
    return { html: renderInterpreted(content, role), end: after };
  }
  if (c === "|") {
    if (!opensOn(1)) return null;
    const end = findEnd(src, i + 1, "|", state);
    if (end === -1) return null;
    const name = src.slice(i + 1, end);
    const suffix = suffixLength(src, end + 1, "|");
    const substitution = doc.substitutions.get(normalizeRefName(name));
    let html: string;
    if (substitution === undefined) html = escapeHtml(src.slice(i, end + 1));
    else if (substitution.kind === "text") html = escapeHtml(substitution.text);
    else html = renderImage(suffix > 0 ? { ...substitution.image, target: null } : substitution.image, doc);
    if (suffix > 0) {
      const href = suffix === 2 ? nextAnonymousTarget(doc) : resolveTarget(doc, name);
      if (href !== null) html = `<a href="${escapeHtml(href)}">${html}</a>`;
    }
    return { html, end: end + 1 + suffix };
  }
  if (c === "[") {
    FOOTNOTE_REFERENCE.lastIndex = i;
    const m = FOOTNOTE_REFERENCE.exec(src);
    const follower = m !== null ? src[i + m[0].length] : undefined;
    if (m === null || (follower !== undefined && !END_FOLLOWERS.test(follower))) return null;
    return { html: `<sup>[${escapeHtml(m[1] ?? "")}]</sup>`, end: i + m[0].length };
  }
  if (c === "_" && src[i + 1] === "`") {
    // An inline target (_`name`) shows its text.
    const end = findEnd(src, i + 2, "`", state);
    if (end === -1) return null;
    return { html: escapeHtml(unescapeRst(src.slice(i + 2, end))), end: end + 1 };
  }
  return null;
}

function nextAnonymousTarget(doc: RstDocument): string | null {
  const url = doc.anonymousTargets[doc.anonymousUsed] ?? null;
  if (url !== null) doc.anonymousUsed++;
  return url;
}

/** `` `text <url>`_ ``, `` `<url>`_ ``, `` `name`_ `` (a named target) or `` `name`__ `` (the next anonymous one). */
function renderReference(content: string, anonymous: boolean, doc: RstDocument): string {
  const embedded = splitEmbeddedUri(content);
  let label: string;
  let href: string | null;
  if (embedded !== null) {
    label = embedded.label || embedded.uri;
    href = resolveUrlOrReference(doc, embedded.uri);
  } else {
    label = content;
    href = anonymous ? nextAnonymousTarget(doc) : resolveTarget(doc, content);
  }
  const text = escapeHtml(unescapeRst(label).replace(/\s+/g, " "));
  return href !== null ? `<a href="${escapeHtml(href)}">${text}</a>` : text;
}

function splitEmbeddedUri(content: string): { label: string; uri: string } | null {
  if (!content.endsWith(">")) return null;
  const open = content.lastIndexOf("<");
  if (open === -1) return null;
  const before = content.slice(0, open);
  // docutils needs whitespace between label and URI; `<url>` alone is the URI as its own label.
  if (before !== "" && !WHITESPACE.test(before[before.length - 1] ?? "")) return null;
  const uri = content.slice(open + 1, -1).replace(/\s+/g, "");
  return uri === "" ? null : { label: before.trim(), uri };
}

function renderInterpreted(content: string, role: string | null): string {
  const bare = role?.replace(/^(?:py|std|rst|sphinx):/, "") ?? null;
  // Cross-reference roles accept "title <target>": the title is what readers see.
  const label = splitEmbeddedUri(content)?.label || content;
  const text = escapeHtml(unescapeRst(label).replace(/^[~!.]/, ""));
  if (bare === null) return `<em>${text}</em>`; // docutils' default role, title-reference, renders in italics
  if (bare === "kbd") return `<kbd>${text}</kbd>`;
  if (CODE_ROLES.has(bare)) return `<code>${bare === "code" || bare === "literal" ? escapeHtml(content) : text}</code>`;
  if (bare === "strong") return `<strong>${text}</strong>`;
  if (bare === "emphasis" || bare === "title-reference" || bare === "title" || bare === "t") return `<em>${text}</em>`;
  if (bare === "sup" || bare === "superscript") return `<sup>${text}</sup>`;
  if (bare === "sub" || bare === "subscript") return `<sub>${text}</sub>`;
  if (bare === "abbr") return `<abbr>${text}</abbr>`;
  const number = /^\d{1,5}$/.exec(content.trim())?.[0];
  if (bare === "pep" && number !== undefined) {
    return `<a href="https://peps.python.org/pep-${number.padStart(4, "0")}/">PEP ${Number(number)}</a>`;
  }
  if (bare === "rfc" && number !== undefined) {
    return `<a href="https://datatracker.ietf.org/doc/html/rfc${Number(number)}">RFC ${Number(number)}</a>`;
  }
  return text;
}

/** Standalone URLs and email addresses become links, as docutils does; only schemes the sanitizer keeps. */
// The local part is bounded so a long word without an "@" costs a constant per position, not its whole length.
const STANDALONE_URL =
  /\b(?:https?:\/\/|mailto:)[^\s<>"`]+|(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

function renderText(text: string, doc: RstDocument): string {
  if (!text.includes(":") && !text.includes("@")) return renderSimpleReferences(text, doc);
  let out = "";
  let last = 0;
  STANDALONE_URL.lastIndex = 0;
  for (let m = STANDALONE_URL.exec(text); m !== null; m = STANDALONE_URL.exec(text)) {
    const url = trimUrlPunctuation(m[0]);
    if (/^(?:https?:\/\/|mailto:)?$/i.test(url)) continue;
    const start = m.index;
    out += renderSimpleReferences(text.slice(last, start), doc);
    const href = /^(?:https?|mailto):/i.test(url) ? url : `mailto:${url}`;
    out += `<a href="${escapeHtml(href)}">${escapeHtml(url)}</a>`;
    last = start + url.length;
    STANDALONE_URL.lastIndex = last;
  }
  return out + renderSimpleReferences(text.slice(last), doc);
}

/** Sentence punctuation after a URL is not part of it; a closing parenthesis is, when the URL opened one. */
function trimUrlPunctuation(url: string): string {
  let end = url.length;
  for (;;) {
    const last = url[end - 1];
    if (last === undefined) break;
    if (".,;:!?'\"]}>*_".includes(last)) {
      end--;
      continue;
    }
    if (last === ")") {
      const body = url.slice(0, end);
      if (body.split("(").length < body.split(")").length) {
        end--;
        continue;
      }
    }
    break;
  }
  return url.slice(0, end);
}

/** Reference names are short; looking back no further keeps hostile `a_-a_-a_-…` input linear. */
const MAX_REFERENCE_NAME = 100;
const REFERENCE_NAME_CHAR = /[A-Za-z0-9\-_.+:]/;
const ALPHANUMERIC = /[A-Za-z0-9]/;

/** `name_` and `name__`: simple reference names, resolved against the document's targets. */
function renderSimpleReferences(text: string, doc: RstDocument): string {
  if ((doc.targets.size === 0 && doc.anonymousTargets.length === 0) || !text.includes("_")) return escapeHtml(text);
  let out = "";
  let last = 0;
  for (let k = text.indexOf("_"); k !== -1; k = text.indexOf("_", k + 1)) {
    const anonymous = text[k + 1] === "_";
    const suffixEnd = k + (anonymous ? 2 : 1);
    const follower = text[suffixEnd];
    if (follower !== undefined && !END_FOLLOWERS.test(follower)) continue;
    let start = k;
    while (start > last && k - start < MAX_REFERENCE_NAME && REFERENCE_NAME_CHAR.test(text[start - 1] ?? "")) start--;
    while (start < k && !ALPHANUMERIC.test(text[start] ?? "")) start++;
    const preceder = text[start - 1];
    const startsName = preceder === undefined || START_PRECEDERS.test(preceder);
    if (start === k || !ALPHANUMERIC.test(text[k - 1] ?? "") || !startsName) {
      if (anonymous) k++;
      continue;
    }
    const name = text.slice(start, k);
    const href = anonymous ? nextAnonymousTarget(doc) : resolveTarget(doc, name);
    if (href !== null) {
      out += escapeHtml(text.slice(last, start)) + `<a href="${escapeHtml(href)}">${escapeHtml(name)}</a>`;
      last = suffixEnd;
    }
    k = suffixEnd - 1;
  }
  return out + escapeHtml(text.slice(last));
}

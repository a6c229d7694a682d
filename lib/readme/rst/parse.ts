// reStructuredText, block level: the document split into titles, paragraphs, lists, directives and targets.
import { docutilsSlug, Slugger } from "../slug";

// Not docutils: a forgiving subset covering what READMEs use. Where docutils would report an error (and PyPI would
// fall back to plain text) this renders the nearest sensible thing instead, and constructs it does not know are
// shown as text or dropped, never executed: `raw` and `include` in particular are ignored, as PyPI disables them.

export interface RstImage {
  uri: string;
  alt: string | null;
  target: string | null;
  width: string | null;
  height: string | null;
}

export type Block =
  | { kind: "title"; level: number; text: string; id: string }
  | { kind: "paragraph"; text: string }
  | { kind: "literal"; text: string; language: string | null }
  | { kind: "bullets"; items: Block[][] }
  | { kind: "enumerated"; start: number; sequence: Sequence; items: Block[][] }
  | { kind: "quote"; blocks: Block[] }
  | { kind: "definitions"; items: { term: string; blocks: Block[] }[] }
  | { kind: "contents"; title: string; local: boolean; depth: number }
  | { kind: "options"; items: { options: string; blocks: Block[] }[] }
  | { kind: "transition" }
  | { kind: "lines"; lines: string[] }
  | { kind: "table"; head: TableCell[][]; body: TableCell[][] }
  | { kind: "image"; image: RstImage }
  | { kind: "aside"; title: string | null; blocks: Block[] };

export interface TableCell {
  text: string;
  span: number;
}

type Substitution = { kind: "image"; image: RstImage } | { kind: "text"; text: string };

/** What the block pass learns about the whole document, which the inline pass needs to resolve references. */
export interface RstDocument {
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

/** The document's blocks, and what the inline pass needs to resolve references in them. */
export function parseRst(source: string): { blocks: Block[]; doc: RstDocument } {
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
  return { blocks: parseBlocks(lines, doc, 0), doc };
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

export function normalizeRefName(name: string): string {
  return name.replace(/\s+/g, " ").trim().toLowerCase();
}

const BULLET = /^([-*+\u2022\u2023\u2043])(?: +(.*))?$/;
// Arabic numbers, `#` (auto), single letters and roman numerals, as `1.`, `1)` or `(1)`.
const ENUMERATOR_VALUE = String.raw`(\d{1,9}|#|[A-Za-z]|[ivxlcdm]{1,9}|[IVXLCDM]{1,9})`;
const ENUMERATOR = new RegExp(String.raw`^(?:${ENUMERATOR_VALUE}([.)])|\(${ENUMERATOR_VALUE}\))(?: +(.*))?$`);
const FIELD = /^:((?:[^:`\\]|\\.)+):(?: +(.*))?$/;
/** A command-line option list item: `-a`, `--long`, `-f FILE`, `--out=PATH`, grouped with ", ", then 2+ spaces. */
// Each part can match in one way only, so a long line that fails at its end is not retried exponentially.
const OPTION = String.raw`(?:--?[A-Za-z0-9][\w-]*|/[A-Za-z0-9])(?:[ =][^\s,]+)?`;
const OPTION_LIST_ITEM = new RegExp(String.raw`^(${OPTION}(?:, ${OPTION})*)(?:  +(\S.*))?$`);
const LINE_BLOCK = /^\|(?: +(.*))?$/;
const GRID_TABLE_BORDER = /^\+(?:[-=]+\+)+$/;
const SIMPLE_TABLE_BORDER = /^=+(?: +=+)+$/;

export type Sequence = "arabic" | "auto" | "loweralpha" | "upperalpha" | "lowerroman" | "upperroman";

/** The sequence an enumerator belongs to. A lone `i`/`I` (or `v`, `x`…) starts a roman list, as in docutils. */
function sequenceOf(enumerator: string): Sequence {
  if (enumerator === "#") return "auto";
  if (/^\d/.test(enumerator)) return "arabic";
  if (/^[ivxlcdm]+$/.test(enumerator) && (enumerator.length > 1 || "ivx".includes(enumerator))) return "lowerroman";
  if (/^[IVXLCDM]+$/.test(enumerator) && (enumerator.length > 1 || "IVX".includes(enumerator))) return "upperroman";
  if (enumerator.length > 1) return "arabic"; // not reached: the pattern allows only roman letters to repeat
  return enumerator === enumerator.toLowerCase() ? "loweralpha" : "upperalpha";
}

const ROMAN: Readonly<Record<string, number>> = { i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000 };

/** The number an enumerator stands for (`#` counts as 1), or NaN for a malformed roman numeral. */
function ordinalOf(enumerator: string, sequence: Sequence): number {
  if (sequence === "auto") return 1;
  if (sequence === "arabic") return Number(enumerator);
  if (sequence === "loweralpha" || sequence === "upperalpha") return enumerator.toLowerCase().charCodeAt(0) - 96;
  const digits = [...enumerator.toLowerCase()].map((c) => ROMAN[c] ?? NaN);
  return digits.reduce((sum, d, k) => sum + (d < (digits[k + 1] ?? 0) ? -d : d), 0);
}

interface Enumerator {
  format: string;
  sequence: Sequence;
  ordinal: number;
}

/** An item's enumerator; in a list of letters, `i.` is the next letter rather than a roman one. */
function enumeratorOf(match: RegExpExecArray, list?: Enumerator): Enumerator {
  const text = match[1] ?? match[3] ?? "#";
  const format = match[3] !== undefined ? "()" : (match[2] ?? ".");
  const letters = list?.sequence === "loweralpha" || list?.sequence === "upperalpha";
  const sequence = letters && /^[A-Za-z]$/.test(text) ? list.sequence : sequenceOf(text);
  return { format, sequence, ordinal: ordinalOf(text, sequence) };
}

/**
 * docutils' rule for whether an item continues the list: same format, and either `#` or the next number of the same
 * sequence in a list that did not start with `#` (so `3.` `4.` `#.` is one list, and `#.` `#.` `3.` two).
 */
function continuesList(item: Enumerator, list: Enumerator & { last: number }): boolean {
  if (item.format !== list.format) return false;
  if (item.sequence === "auto") return true;
  return list.sequence !== "auto" && item.sequence === list.sequence && item.ordinal === list.last + 1;
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
      blocks.push({ kind: "quote", blocks: withAttribution(parseBlocks(block, doc, depth + 1)) });
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
        // docutils shows a field's name with its colon ("Author: Jane"), unlike a definition list's term.
        items.push({ term: `${m[1] ?? ""}:`, blocks: parseBlocks(body, doc, depth + 1) });
        i = end;
        while (lines[i] === "") i++;
      }
      blocks.push({ kind: "definitions", items });
      continue;
    }

    const option = OPTION_LIST_ITEM.exec(line);
    if (option !== null && (option[2] !== undefined || indentOf(next) > 0)) {
      const items: { options: string; blocks: Block[] }[] = [];
      for (let m: RegExpExecArray | null = option; m !== null; m = OPTION_LIST_ITEM.exec(lines[i] ?? "")) {
        const { block, end } = indentedBlock(lines, i + 1);
        if (m[2] === undefined && block.length === 0) break;
        items.push({
          options: m[1] ?? "",
          blocks: parseBlocks(m[2] !== undefined ? [m[2], ...block] : block, doc, depth + 1),
        });
        i = end;
        while (lines[i] === "") i++;
      }
      blocks.push({ kind: "options", items });
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
      const first = enumeratorOf(enumerator);
      const list = { ...first, last: first.sequence === "auto" ? 0 : first.ordinal - 1 };
      const items: Block[][] = [];
      for (let m: RegExpExecArray | null = enumerator; m !== null; m = ENUMERATOR.exec(lines[i] ?? "")) {
        const item = enumeratorOf(m, list);
        if (!continuesList(item, list)) break;
        list.last = item.sequence === "auto" ? list.last + 1 : item.ordinal;
        const { block, end } = indentedBlock(lines, i + 1);
        const body = m[4] !== undefined ? [m[4], ...block] : block;
        items.push(parseBlocks(body, doc, depth + 1));
        i = end;
        while (lines[i] === "") i++;
      }
      const start = first.sequence === "auto" ? 1 : first.ordinal;
      const sequence = first.sequence;
      if (items.length === 0) {
        // Not a valid first item (a malformed roman numeral): the line is text.
        blocks.push({ kind: "paragraph", text: line });
        i++;
        continue;
      }
      blocks.push({ kind: "enumerated", start, sequence, items });
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

    // Tables with row spans, or otherwise beyond these parsers, are shown as the author laid them out: readable,
    // and honest about not being parsed.
    if (GRID_TABLE_BORDER.test(line)) {
      const start = i;
      while (i < lines.length && lines[i] !== "") i++;
      const table = lines.slice(start, i);
      blocks.push(gridTable(table) ?? { kind: "literal", text: table.join("\n"), language: null });
      continue;
    }
    if (SIMPLE_TABLE_BORDER.test(line)) {
      const end = simpleTableEnd(lines, i);
      const table = trimBlankLines(lines.slice(i, end));
      blocks.push(simpleTable(table) ?? { kind: "literal", text: table.join("\n"), language: null });
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

/** A block quote's last paragraph starting with `--`, `---` or `—` credits the quote, shown after an em dash. */
function withAttribution(blocks: Block[]): Block[] {
  const last = blocks.at(-1);
  const credit = last?.kind === "paragraph" ? /^(?:---?|\u2014) *(\S[\s\S]*)$/.exec(last.text) : null;
  if (credit === null) return blocks;
  return [...blocks.slice(0, -1), { kind: "paragraph", text: `\u2014${credit[1] ?? ""}` }];
}

function isNextEnumerator(line: string, first: RegExpExecArray): boolean {
  const m = ENUMERATOR.exec(line);
  if (m === null) return false;
  const list = enumeratorOf(first);
  return continuesList(enumeratorOf(m, list), { ...list, last: list.sequence === "auto" ? 0 : list.ordinal });
}

function startsOtherConstruct(line: string): boolean {
  return line.startsWith(".. ") || line === ".." || BULLET.test(line) || FIELD.test(line) || line.startsWith(">>>");
}

/**
 * A simple table: columns are the runs of `=` in its top border; a second border ends the header when a third
 * closes the table. A line whose first column is blank continues the row above. Column spans (`---` lines): null.
 */
function simpleTable(lines: string[]): Block | null {
  const columns = [...(lines[0] ?? "").matchAll(/=+/g)].map((m) => m.index);
  if (lines.some((l) => /^-+(?: +-+)*$/.test(l))) return null;
  const borders = lines.flatMap((l, k) => (SIMPLE_TABLE_BORDER.test(l) ? [k] : []));
  const headerEnd = borders.length >= 3 ? (borders[1] ?? -1) : -1;
  const head: string[][] = [];
  const body: string[][] = [];
  lines.forEach((line, k) => {
    if (line === "" || SIMPLE_TABLE_BORDER.test(line)) return;
    const rows = k < headerEnd ? head : body;
    const cells = columns.map((start, c) => line.slice(start, columns[c + 1]).trim());
    const above = rows.at(-1);
    if (cells[0] === "" && above !== undefined)
      cells.forEach((cell, c) => (above[c] = `${above[c] ?? ""} ${cell}`.trim()));
    else rows.push(cells);
  });
  const cells = (rows: string[][]) => rows.map((row) => row.map((text) => ({ text, span: 1 })));
  return { kind: "table", head: cells(head), body: cells(body) };
}

/**
 * A grid table: column edges are the `+` of its top border, a `=` border ends the header. Cells may span columns
 * (a `|` missing at an edge); a row span (a border interrupted by `|`) makes it null.
 */
function gridTable(lines: string[]): Block | null {
  const top = lines[0] ?? "";
  const edges = [...top].flatMap((c, k) => (c === "+" ? [k] : []));
  const rows: TableCell[][] = [];
  let headerRows = 0;
  let pending: string[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith("+")) {
      if (line.length !== top.length || !GRID_TABLE_BORDER.test(line) || edges.some((e) => line[e] !== "+"))
        return null;
      const row = gridRow(pending, edges);
      if (row === null) return null;
      rows.push(row);
      pending = [];
      if (line.includes("=")) headerRows = rows.length;
    } else if (line.startsWith("|") && line.length === top.length) {
      pending.push(line);
    } else {
      return null;
    }
  }
  if (pending.length > 0) return null;
  return { kind: "table", head: rows.slice(0, headerRows), body: rows.slice(headerRows) };
}

function gridRow(lines: string[], edges: number[]): TableCell[] | null {
  const first = lines[0];
  if (first === undefined) return null;
  // Indexes into `edges` of the column edges this row has a wall at; a cell spans the columns between two walls.
  const walls = edges.flatMap((e, k) => (first[e] === "|" ? [k] : []));
  const hasWall = new Set(walls.map((k) => edges[k]));
  if (lines.some((line) => edges.some((e) => (line[e] === "|") !== hasWall.has(e)))) return null;
  const cells: TableCell[] = [];
  for (let w = 0; w + 1 < walls.length; w++) {
    const from = walls[w] ?? 0;
    const to = walls[w + 1] ?? 0;
    const [start, end] = [edges[from] ?? 0, edges[to] ?? 0];
    const text = lines
      .map((line) => line.slice(start + 1, end).trim())
      .filter((l) => l !== "")
      .join(" ");
    cells.push({ text, span: to - from });
  }
  return cells;
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
  "raw",
  "include",
  "literalinclude",
  "toctree",
  "meta",
  "highlight",
  "default-role",
  "role",
  "sectnum",
  "section-numbering",
  "header",
  "footer",
  "title",
  "target-notes",
  "index",
  "tabularcolumns",
  "autosummary",
  "currentmodule",
  "module",
  "py:module",
  "py:currentmodule",
  "testsetup",
  "testcleanup",
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

  if (name === "contents") {
    // Its entries are the titles that follow, known only once the whole document is parsed (rst/render.ts).
    const { options } = directiveBody(body);
    const depth = Number(options.get("depth"));
    return [
      { kind: "contents", title: args || "Contents", local: options.has("local"), depth: depth > 0 ? depth : Infinity },
    ];
  }

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
export function resolveTarget(doc: RstDocument, name: string): string | null {
  let url = doc.targets.get(normalizeRefName(name)) ?? null;
  for (let hops = 0; url !== null && hops < 5 && /^\S+_$/.test(url) && !url.startsWith("#"); hops++) {
    url = doc.targets.get(normalizeRefName(url.slice(0, -1).replace(/^`|`$/g, ""))) ?? null;
  }
  return url;
}

export function resolveUrlOrReference(doc: RstDocument, url: string): string | null {
  return /^[^\s/:]+_$/.test(url) ? resolveTarget(doc, url.slice(0, -1).replace(/^`|`$/g, "")) : url;
}

// reStructuredText inline markup with docutils' start/end rules: emphasis, literals, roles, references.
import { escapeHtml } from "@/lib/util/escape-html";
import { normalizeRefName, resolveTarget, resolveUrlOrReference, type RstDocument, type RstImage } from "./parse";

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
  "code",
  "literal",
  "samp",
  "file",
  "command",
  "program",
  "envvar",
  "option",
  "makevar",
  "mailheader",
  "regexp",
  "class",
  "func",
  "meth",
  "mod",
  "attr",
  "exc",
  "data",
  "obj",
  "const",
  "type",
  "var",
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

export function renderInline(src: string, doc: RstDocument): string {
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

/** An image, linked when it has a target: a block, or a substitution used inline. */
export function renderImage(image: RstImage, doc: RstDocument): string {
  const attrs = [`src="${escapeHtml(image.uri)}"`, `alt="${escapeHtml(image.alt ?? "")}"`];
  for (const [name, value] of [
    ["width", image.width],
    ["height", image.height],
  ] as const) {
    const size = value !== null ? /^(\d+(?:\.\d+)?)(px|%)?$/.exec(value.trim()) : null;
    if (size !== null) attrs.push(`${name}="${size[2] === "%" ? size[1] + "%" : size[1]}"`);
  }
  const img = `<img ${attrs.join(" ")}>`;
  const href = image.target !== null ? resolveUrlOrReference(doc, image.target) : null;
  return href !== null ? `<a href="${escapeHtml(href)}">${img}</a>` : img;
}

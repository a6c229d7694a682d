// The sanitizer every rendered README passes through: readme_renderer's allowlist, namespaced ids, safe links.
import sanitizeHtml from "sanitize-html";

/**
 * htmlparser2, under sanitize-html, keeps open elements in an array it unshifts onto, so each open tag costs the
 * current depth: 1 MB of `<div>` (or markdown's `****…a…****`, which nests <em>/<strong>) takes 20 seconds, and
 * 5 MB minutes. No real README nests anywhere near this deep, so such input is shown as plain text instead.
 */
export const MAX_HTML_DEPTH = 256;

/** Elements that never nest: void elements, and ones the parser closes when a sibling opens (`<p>a<p>b`). */
const NON_NESTING = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
  "p",
  "li",
  "dt",
  "dd",
  "tr",
  "td",
  "th",
  "option",
]);

/**
 * An upper bound on how deep the parser's element stack gets. A closing tag counts only if its element is open,
 * as the parser ignores the rest (`<div></x>` repeated still nests); closing an element also closes any left open
 * inside it, which this does not model, so mis-nested markup can only overestimate.
 */
export function nestingDepth(html: string): number {
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
    "p",
    "br",
    "hr",
    "a",
    "abbr",
    "acronym",
    "b",
    "i",
    "em",
    "strong",
    "blockquote",
    "code",
    "pre",
    "kbd",
    "samp",
    "var",
    "tt",
    "span",
    "div",
    "li",
    "ol",
    "ul",
    "dl",
    "dt",
    "dd",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "img",
    "sup",
    "sub",
    "del",
    "s",
    "ins",
    "cite",
    "q",
    "details",
    "summary",
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
    ol: ["start", "type"],
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

export function sanitize(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS);
}

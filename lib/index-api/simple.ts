// The Simple Repository API (PEP 503/691/700/714): content negotiation, HTML and JSON rendering, ETags.
import "server-only";
import { createHash } from "node:crypto";
import { escapeHtml } from "@/lib/util/escape-html";
import type { IndexFile, IndexProject } from "./types";

/** PEP 629 repository version. 1.1 because the PEP 700 fields (`versions`, `size`, `upload-time`) need it. */
export const API_VERSION = "1.1";

/** The body depends on Accept, so every Simple API response must say so or caches will mix HTML and JSON. */
export const SIMPLE_VARY = "Accept";

/** As PyPI: index pages may be cached for minutes, but revalidate with the ETag (pip does). */
export const INDEX_CACHE = "max-age=600, public";

export const SIMPLE_JSON_CONTENT_TYPE = "application/vnd.pypi.simple.v1+json";
export const SIMPLE_HTML_CONTENT_TYPE = "application/vnd.pypi.simple.v1+html";
export const LEGACY_HTML_CONTENT_TYPE = "text/html";

export interface Negotiated {
  format: "html" | "json";
  contentType: string;
}

// ---------------------------------------------------------------------------------------------
// Content negotiation
// ---------------------------------------------------------------------------------------------

interface Offer {
  type: string;
  /** PEP 691's `latest` meta-version, which must be answered with the concrete v1 content type. */
  alias: string | null;
  result: Negotiated;
}

const JSON_OFFER: Offer = {
  type: SIMPLE_JSON_CONTENT_TYPE,
  alias: "application/vnd.pypi.simple.latest+json",
  result: { format: "json", contentType: SIMPLE_JSON_CONTENT_TYPE },
};
const V1_HTML_OFFER: Offer = {
  type: SIMPLE_HTML_CONTENT_TYPE,
  alias: "application/vnd.pypi.simple.latest+html",
  result: { format: "html", contentType: SIMPLE_HTML_CONTENT_TYPE },
};
const TEXT_HTML_OFFER: Offer = {
  type: LEGACY_HTML_CONTENT_TYPE,
  alias: null,
  result: { format: "html", contentType: LEGACY_HTML_CONTENT_TYPE },
};

/**
 * Tie-breaks at equal q. A type the client named (or its `latest` alias) is one it can parse, so the
 * most capable wins, as PEP 691 recommends. A type reached only through a wildcard gets PyPI's order
 * (its offers are text/html, v1+html, v1+json) because the any-type wildcard is what PEP 503
 * scrapers and plain HTTP libraries send (python-requests, curl), and they expect HTML.
 */
const EXPLICIT_PREFERENCE: readonly Offer[] = [JSON_OFFER, V1_HTML_OFFER, TEXT_HTML_OFFER];
const WILDCARD_PREFERENCE: readonly Offer[] = [TEXT_HTML_OFFER, V1_HTML_OFFER, JSON_OFFER];

const FALLBACK: Negotiated = TEXT_HTML_OFFER.result;

// RFC 9110 token characters; a range such as `*/html` or `text` is malformed and ignored.
const TOKEN = "[!#$%&'*+.^_`|~0-9a-z-]+";
const MEDIA_RANGE_RE = new RegExp(`^(?:\\*/\\*|${TOKEN}/\\*|${TOKEN}/${TOKEN})$`);
const QVALUE_RE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

interface MediaRange {
  range: string;
  q: number;
}

/** Elements of an Accept header; malformed ones (bad range, bad q) are dropped rather than failing the request. */
function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const element of accept.split(",")) {
    const [rawRange = "", ...params] = element.split(";");
    const range = rawRange.trim().toLowerCase();
    if (range === "" || !MEDIA_RANGE_RE.test(range)) continue;
    let q = 1;
    let valid = true;
    // Media-type parameters (e.g. charset) do not change which representation we serve, so they
    // are ignored; the first `q` ends them and anything after it is an accept-extension.
    for (const param of params) {
      const eq = param.indexOf("=");
      if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== "q") continue;
      const value = param.slice(eq + 1).trim();
      if (QVALUE_RE.test(value)) q = Number(value);
      else valid = false;
      break;
    }
    if (valid) ranges.push({ range, q });
  }
  return ranges;
}

/** RFC 9110 §12.5.1: the most specific range that matches decides an offer's q (the first, if tied). */
function qualityOf(offer: Offer, ranges: MediaRange[]): { q: number; explicit: boolean } | null {
  const major = offer.type.slice(0, offer.type.indexOf("/"));
  let best: { q: number; specificity: number } | null = null;
  for (const { range, q } of ranges) {
    // A concrete version is more specific than the `latest` meta-version, which is more specific than a wildcard.
    const specificity =
      range === offer.type ? 4 : range === offer.alias ? 3 : range === `${major}/*` ? 2 : range === "*/*" ? 1 : 0;
    if (specificity > (best?.specificity ?? 0)) best = { q, specificity };
  }
  return best === null ? null : { q: best.q, explicit: best.specificity >= 3 };
}

/**
 * PEP 691 server-driven negotiation between v1 JSON, v1 HTML and legacy `text/html`.
 *
 * Rule: each representation takes the q of the most specific Accept range that matches it
 * (`latest+json`/`latest+html` count as naming v1); q=0 means not acceptable. The highest q wins;
 * at equal q a representation the client named beats one matched only by a wildcard, then
 * {@link EXPLICIT_PREFERENCE} / {@link WILDCARD_PREFERENCE} decide. So pip's
 * `v1+json, v1+html;q=0.1, text/html;q=0.01` gets JSON; a bare wildcard, browsers and old pip get HTML.
 *
 * A missing, empty, malformed or unsatisfiable header gets `text/html` rather than 406: PEP 691
 * allows either, and HTML is what every client since PEP 503 understands. So this never returns
 * null; routes need no 406 branch.
 */
export function negotiate(accept: string | null | undefined): Negotiated {
  if (accept == null || accept.trim() === "") return { ...FALLBACK };
  const ranges = parseAccept(accept);
  let best: { offer: Offer; q: number; explicit: boolean; rank: number } | null = null;
  for (const offer of EXPLICIT_PREFERENCE) {
    const quality = qualityOf(offer, ranges);
    if (quality === null || quality.q === 0) continue;
    const rank = (quality.explicit ? EXPLICIT_PREFERENCE : WILDCARD_PREFERENCE).indexOf(offer);
    const better =
      best === null ||
      quality.q > best.q ||
      (quality.q === best.q && quality.explicit && !best.explicit) ||
      (quality.q === best.q && quality.explicit === best.explicit && rank < best.rank);
    if (better) best = { offer, q: quality.q, explicit: quality.explicit, rank };
  }
  return { ...(best === null ? FALLBACK : best.offer.result) };
}

// ---------------------------------------------------------------------------------------------
// Shared formatting
// ---------------------------------------------------------------------------------------------

/**
 * `url` prefixed with `baseUrl` when one is given (URLs that already carry a scheme are kept).
 * pip resolves relative links against the page, so a bare path works too; absolute URLs are for
 * mirrors and JSON consumers that fetch files without the page's URL at hand.
 */
export function absoluteUrl(url: string, baseUrl?: string): string {
  if (!baseUrl || /^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  return baseUrl.replace(/\/+$/, "") + (url.startsWith("/") ? url : `/${url}`);
}

/**
 * PEP 700 `upload-time` (also PyPI's `upload_time_iso_8601`): UTC with `Z`, always six fractional
 * digits. PyPI drops the fraction when it is zero (Python's isoformat); PEP 700 allows either, and a
 * fixed width is easier to parse. Dates carry milliseconds, so the last three digits are zeros.
 */
export function formatUploadTime(date: Date): string {
  return `${date.toISOString().slice(0, -1)}000Z`;
}

/** PEP 691 treats an empty Requires-Python as absent, as does Warehouse. */
function requiresPythonOf(file: IndexFile): string | null {
  return file.requiresPython ? file.requiresPython : null;
}

// ---------------------------------------------------------------------------------------------
// Project detail page (/simple/<project>/)
// ---------------------------------------------------------------------------------------------

function fileAnchor(file: IndexFile, baseUrl: string | undefined): string {
  const href = `${absoluteUrl(file.url, baseUrl)}#sha256=${file.sha256}`;
  let attrs = `href="${escapeHtml(href)}"`;
  const requiresPython = requiresPythonOf(file);
  if (requiresPython !== null) attrs += ` data-requires-python="${escapeHtml(requiresPython)}"`;
  // PEP 592: the attribute's presence means yanked; its value is the (possibly empty) reason.
  if (file.yanked !== false) attrs += ` data-yanked="${escapeHtml(file.yanked)}"`;
  if (file.metadataSha256) {
    // PEP 714 renamed the attribute; the old one is kept in HTML (only) for pip < 23.2.
    const value = escapeHtml(`sha256=${file.metadataSha256}`);
    attrs += ` data-dist-info-metadata="${value}" data-core-metadata="${value}"`;
  }
  return `<a ${attrs}>${escapeHtml(file.filename)}</a><br />`;
}

/**
 * PEP 503 project page laid out as Warehouse's template renders it, including the title with the
 * normalised name and the trailing `<!--SERIAL n-->` comment mirrors look for.
 */
export function renderProjectHtml(project: IndexProject, baseUrl?: string): string {
  const name = escapeHtml(project.normalizedName);
  const lines = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "  <head>",
    `    <meta name="pypi:repository-version" content="${API_VERSION}">`,
    `    <title>Links for ${name}</title>`,
    "  </head>",
    "  <body>",
    `    <h1>Links for ${name}</h1>`,
    ...project.files.map((file) => `    ${fileAnchor(file, baseUrl)}`),
    "  </body>",
    "</html>",
    `<!--SERIAL ${project.lastSerial}-->`,
  ];
  return lines.join("\n") + "\n";
}

export interface SimpleJsonFile {
  filename: string;
  url: string;
  hashes: { sha256: string };
  "requires-python"?: string;
  size: number;
  "upload-time": string;
  yanked: boolean | string;
  "core-metadata": { sha256: string } | false;
}

export interface SimpleJsonProject {
  meta: { "api-version": string; "_last-serial": number };
  name: string;
  versions: string[];
  files: SimpleJsonFile[];
}

function jsonFile(file: IndexFile, baseUrl: string | undefined): SimpleJsonFile {
  const requiresPython = requiresPythonOf(file);
  return {
    filename: file.filename,
    url: absoluteUrl(file.url, baseUrl),
    hashes: { sha256: file.sha256 },
    // PEP 691 makes the key optional; omitted rather than null so strict parsers accept it.
    ...(requiresPython !== null ? { "requires-python": requiresPython } : {}),
    size: file.size,
    "upload-time": formatUploadTime(file.uploadedAt),
    // PEP 592 in JSON: a reason must be non-empty, so an empty reason becomes plain `true`.
    yanked: file.yanked === false ? false : file.yanked === "" ? true : file.yanked,
    // Only the PEP 714 name: `dist-info-metadata` in JSON makes pip 22.3–23.1 fail hard (PEP 714
    // says servers should not emit it in JSON). `false` when absent, as PyPI does.
    "core-metadata": file.metadataSha256 ? { sha256: file.metadataSha256 } : false,
  };
}

/** The PEP 691 JSON object for a project page, before serialisation (exposed for callers that post-process). */
export function projectJson(project: IndexProject, baseUrl?: string): SimpleJsonProject {
  return {
    meta: { "api-version": API_VERSION, "_last-serial": project.lastSerial },
    name: project.normalizedName,
    versions: [...project.versions],
    files: project.files.map((file) => jsonFile(file, baseUrl)),
  };
}

/** PEP 691 + PEP 700 project page. */
export function renderProjectJson(project: IndexProject, baseUrl?: string): string {
  return JSON.stringify(projectJson(project, baseUrl));
}

// ---------------------------------------------------------------------------------------------
// Root index (/simple/)
// ---------------------------------------------------------------------------------------------

export interface SimpleIndexEntry {
  name: string;
  normalizedName: string;
  /** Emitted as the project's `_last-serial` in JSON when known, as PyPI does. */
  lastSerial?: number;
}

type Entries = Iterable<SimpleIndexEntry> | AsyncIterable<SimpleIndexEntry>;

interface IndexLayout {
  head: string;
  entry: (project: SimpleIndexEntry, index: number) => string;
  tail: string;
}

/** Entries are buffered into chunks of about this many characters: one chunk per project would mean 100k enqueues. */
const CHUNK_SIZE = 16 * 1024;

function htmlIndexLayout(): IndexLayout {
  return {
    head: [
      "<!DOCTYPE html>",
      '<html lang="en">',
      "  <head>",
      `    <meta name="pypi:repository-version" content="${API_VERSION}">`,
      "    <title>Simple index</title>",
      "  </head>",
      "  <body>",
      "",
    ].join("\n"),
    entry: (p) => `    <a href="/simple/${escapeHtml(p.normalizedName)}/">${escapeHtml(p.name)}</a>\n`,
    tail: "  </body>\n</html>\n",
  };
}

function jsonIndexLayout(lastSerial: number): IndexLayout {
  const meta = JSON.stringify({ "api-version": API_VERSION, "_last-serial": lastSerial });
  return {
    head: `{"meta":${meta},"projects":[`,
    entry: (p, i) =>
      (i === 0 ? "" : ",") +
      JSON.stringify(p.lastSerial === undefined ? { name: p.name } : { name: p.name, "_last-serial": p.lastSerial }),
    tail: "]}",
  };
}

// The head goes out before the first entry is pulled, so the response starts while the query runs.
function* chunksSync(projects: Iterable<SimpleIndexEntry>, layout: IndexLayout): Generator<string, void, undefined> {
  yield layout.head;
  let buffer = "";
  let i = 0;
  for (const project of projects) {
    buffer += layout.entry(project, i++);
    if (buffer.length >= CHUNK_SIZE) {
      yield buffer;
      buffer = "";
    }
  }
  yield buffer + layout.tail;
}

async function* chunksAsync(projects: Entries, layout: IndexLayout): AsyncGenerator<string, void, undefined> {
  yield layout.head;
  let buffer = "";
  let i = 0;
  for await (const project of projects) {
    buffer += layout.entry(project, i++);
    if (buffer.length >= CHUNK_SIZE) {
      yield buffer;
      buffer = "";
    }
  }
  yield buffer + layout.tail;
}

function isSyncIterable(value: Entries): value is Iterable<SimpleIndexEntry> {
  return typeof (value as Partial<Iterable<SimpleIndexEntry>>)[Symbol.iterator] === "function";
}

/** The PEP 503 root page in chunks: synchronous for an array or other iterable, asynchronous for a cursor. */
export function renderIndexHtmlChunks(projects: Iterable<SimpleIndexEntry>): Generator<string, void, undefined>;
export function renderIndexHtmlChunks(
  projects: AsyncIterable<SimpleIndexEntry>,
): AsyncGenerator<string, void, undefined>;
export function renderIndexHtmlChunks(
  projects: Entries,
): Generator<string, void, undefined> | AsyncGenerator<string, void, undefined> {
  return isSyncIterable(projects) ? chunksSync(projects, htmlIndexLayout()) : chunksAsync(projects, htmlIndexLayout());
}

/** The PEP 691 root JSON in chunks; `lastSerial` is the index-wide serial that goes in `meta`, before any project. */
export function renderIndexJsonChunks(
  projects: Iterable<SimpleIndexEntry>,
  lastSerial: number,
): Generator<string, void, undefined>;
export function renderIndexJsonChunks(
  projects: AsyncIterable<SimpleIndexEntry>,
  lastSerial: number,
): AsyncGenerator<string, void, undefined>;
export function renderIndexJsonChunks(
  projects: Entries,
  lastSerial: number,
): Generator<string, void, undefined> | AsyncGenerator<string, void, undefined> {
  const layout = jsonIndexLayout(lastSerial);
  return isSyncIterable(projects) ? chunksSync(projects, layout) : chunksAsync(projects, layout);
}

export function renderIndexHtml(projects: Iterable<SimpleIndexEntry>): string {
  return [...renderIndexHtmlChunks(projects)].join("");
}

export function renderIndexJson(projects: Iterable<SimpleIndexEntry>, lastSerial: number): string {
  return [...renderIndexJsonChunks(projects, lastSerial)].join("");
}

// ---------------------------------------------------------------------------------------------
// Conditional requests
// ---------------------------------------------------------------------------------------------

/**
 * A strong ETag over the inputs that decide the body. Callers must include everything the bytes
 * depend on: the negotiated content type (one URL has two representations) and the base URL when
 * links are absolute, besides e.g. the project's last serial. JSON-encoding the parts keeps
 * `("a,b")` and `("a", "b")`, or `1` and `"1"`, apart.
 */
export function etagFor(...parts: (string | number)[]): string {
  const digest = createHash("sha256").update(JSON.stringify(parts)).digest("hex");
  return `"${digest.slice(0, 32)}"`;
}

/** The opaque part of an entity tag, or null when it is not `"…"` / `W/"…"`. */
function opaqueTag(tag: string): string | null {
  const m = /^(?:W\/)?("[^"]*")$/.exec(tag.trim());
  return m?.[1] ?? null;
}

/**
 * RFC 9110 §13.1.2 If-None-Match: `*` matches any current representation; otherwise a list of
 * entity tags compared weakly (`W/"x"` matches `"x"`), as the RFC requires for this header.
 * Malformed members are ignored, so a garbage header simply does not match.
 */
export function matchesIfNoneMatch(header: string | null | undefined, etag: string): boolean {
  if (header == null) return false;
  const mine = opaqueTag(etag);
  if (mine === null) return false;
  // Entity tags may contain commas inside the quotes, so members are matched, not split.
  const members = header.match(/(?:W\/)?"[^"]*"|[^,\s]+/g) ?? [];
  return members.some((member) => member === "*" || opaqueTag(member) === mine);
}

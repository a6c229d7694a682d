// One response kept in memory, as the fast paths serve it: the body plain, gzipped once a client
// takes gzip, with every header list built once, so a hit costs a lookup and one write.
import "server-only";
import zlib from "node:zlib";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { LRUCache } from "lru-cache";
import { byteCache } from "./memory";
import { matchesIfNoneMatch } from "@/lib/index-api/simple";

const GZIP_MIN_BYTES = 1024;

export interface CachedResponse {
  etag: string;
  body: Buffer;
  /** Null until a client takes gzip (`sendKept`), and always for bodies too small to gain from it. */
  gzip: Buffer | null;
  // Flat [name, value, …] arrays, the cheapest form for writeHead: for a 304, the plain body, the gzip body.
  notModified: string[];
  plain: string[];
  gzipped: string[];
}

/** `headers` are the response's own (flat), without etag, content-length or content-encoding. */
export function cachedResponse(body: Buffer, etag: string, headers: string[]): CachedResponse {
  const notModified = [...headers, "etag", etag];
  return {
    etag,
    body,
    gzip: null,
    notModified,
    plain: [...notModified, "content-length", String(body.length)],
    gzipped: [],
  };
}

export const cachedSize = (r: CachedResponse) => r.body.length + (r.gzip?.length ?? 0);

/** An index answer (`/simple/<name>/`, `/pypi/…/json`) kept with the project serial it shows. */
export interface IndexResponse extends CachedResponse {
  serial: number;
}

let index: ReturnType<typeof byteCache<IndexResponse>> | undefined;

/**
 * The index answers of both kinds share one least-recently-used budget, so it goes to whichever is
 * asked for: pip's /simple/ pages, or tools walking many projects' JSON (1,000 seeded projects'
 * JSON documents alone take 19 MB, plain and gzipped). Keys: `simple:…` and `json:…`.
 */
export function indexResponses(): ReturnType<typeof byteCache<IndexResponse>> {
  index ??= byteCache<IndexResponse>(0.4, cachedSize);
  return index;
}

/**
 * Keeps a fresh render under `key` unless the kept one is as new (requests that missed together
 * each render the same snapshot: the first one kept stays, with any gzip bytes made for it) or
 * newer (a slower render of an older snapshot); returns whichever is kept, the one to send.
 */
export function keepNewest(key: string, fresh: IndexResponse): IndexResponse {
  const kept = indexResponses().get(key);
  if (kept && kept.serial >= fresh.serial) return kept;
  indexResponses().set(key, fresh);
  return fresh;
}

/** Whether an Accept-Encoding header takes gzip (`gzip;q=0` refuses it; `*` offers it unless named). */
function takesGzip(header: string): boolean {
  let star = false;
  for (const member of header.toLowerCase().split(",")) {
    const [coding = "", ...params] = member.split(";").map((part) => part.trim());
    const q = params.find((p) => p.startsWith("q="));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (coding === "gzip" || coding === "x-gzip") return accepted;
    if (coding === "*") star = accepted;
  }
  return star;
}

// Clients send few distinct Accept-Encoding headers: each is parsed once.
const gzipTaken = new Map<string, boolean>();
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let taken = gzipTaken.get(header);
  if (taken === undefined) {
    taken = takesGzip(header);
    if (gzipTaken.size < 256) gzipTaken.set(header, taken);
  }
  return taken;
}

/**
 * Answers GET or HEAD with the response kept in `cache` under `key`: 304 when the client has it,
 * gzip when it takes it. The gzip bytes are made here, for the first client that takes them, and
 * not when the response is kept: most kept responses are never asked for gzip (a crawler or a
 * mirror walking every project often does not take it), and gzipping each at keep time cost CPU on
 * every cache miss and memory for bytes nobody asked for.
 */
export function sendKept<R extends CachedResponse>(
  req: IncomingMessage,
  res: ServerResponse,
  cache: LRUCache<string, R>,
  key: string,
  kept: R,
): void {
  if (matchesIfNoneMatch(req.headers["if-none-match"], kept.etag)) {
    res.writeHead(304, kept.notModified).end();
    return;
  }
  const gzip = kept.body.length >= GZIP_MIN_BYTES && acceptsGzip(req.headers["accept-encoding"]);
  const r = gzip && kept.gzip === null ? gzipOnce(cache, key, kept) : kept;
  res.writeHead(200, gzip ? r.gzipped : r.plain);
  res.end(req.method === "HEAD" ? undefined : gzip ? r.gzip : r.body);
}

/**
 * `kept` with its gzip bytes, put in the cache in its place: later requests reuse them, and the
 * cache's byte budget counts them (lru-cache sizes an entry again only when given a new object).
 */
function gzipOnce<R extends CachedResponse>(cache: LRUCache<string, R>, key: string, kept: R): R {
  const current = cache.peek(key);
  // Requests that shared one render (./json-api.ts) hold the same object: the first one to take
  // gzip has already made its bytes.
  if (current !== undefined && current.body === kept.body && current.gzip !== null) return current;
  const gzip = zlib.gzipSync(kept.body, { level: 6 });
  const gzipped = [...kept.notModified, "content-encoding", "gzip", "content-length", String(gzip.length)];
  const r: R = { ...kept, gzip, gzipped };
  // Not over a newer render kept meanwhile, nor back after an eviction.
  if (current === kept) cache.set(key, r);
  return r;
}

// One response kept in memory, as the fast paths serve it: the body plain and (when worth it)
// gzipped, with every header list built once, so a hit costs a lookup and one write.
import "server-only";
import zlib from "node:zlib";
import type { IncomingMessage, ServerResponse } from "node:http";
import { byteCache } from "./memory";
import { matchesIfNoneMatch } from "@/lib/index-api/simple";

const GZIP_MIN_BYTES = 1024;

export interface CachedResponse {
  etag: string;
  body: Buffer;
  gzip: Buffer | null;
  // Flat [name, value, …] arrays, the cheapest form for writeHead: for a 304, the plain body, the gzip body.
  notModified: string[];
  plain: string[];
  gzipped: string[];
}

/**
 * `headers` are the response's own (flat), without etag, content-length or content-encoding.
 * `compress` false leaves the gzip bytes to `withGzip`, for when a client first asks for them.
 */
export function cachedResponse(body: Buffer, etag: string, headers: string[], compress = true): CachedResponse {
  const notModified = [...headers, "etag", etag];
  const response: CachedResponse = {
    etag,
    body,
    gzip: null,
    notModified,
    plain: [...notModified, "content-length", String(body.length)],
    gzipped: [],
  };
  return compress ? withGzip(response) : response;
}

/** The response with its gzip bytes, when worth having (the same object when it has them or is too small). */
export function withGzip<R extends CachedResponse>(r: R): R {
  if (r.gzip !== null || r.body.length < GZIP_MIN_BYTES) return r;
  const gzip = zlib.gzipSync(r.body, { level: 6 });
  return { ...r, gzip, gzipped: [...r.notModified, "content-encoding", "gzip", "content-length", String(gzip.length)] };
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
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let taken = gzipTaken.get(header);
  if (taken === undefined) {
    taken = takesGzip(header);
    if (gzipTaken.size < 256) gzipTaken.set(header, taken);
  }
  return taken;
}

/** Answers GET or HEAD with the kept response: 304 when the client has it, gzip when it takes it. */
export function sendCached(req: IncomingMessage, res: ServerResponse, r: CachedResponse): void {
  if (matchesIfNoneMatch(req.headers["if-none-match"], r.etag)) {
    res.writeHead(304, r.notModified).end();
    return;
  }
  const gzip = r.gzip !== null && acceptsGzip(req.headers["accept-encoding"]);
  res.writeHead(200, gzip ? r.gzipped : r.plain);
  res.end(req.method === "HEAD" ? undefined : gzip ? r.gzip : r.body);
}

// One response kept in memory, as the fast paths serve it: the body plain and (when worth it)
// gzipped, with every header list built once, so a hit costs a lookup and one write.
import "server-only";
import zlib from "node:zlib";
import type { IncomingMessage, ServerResponse } from "node:http";
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

/** `headers` are the response's own (flat), without etag, content-length or content-encoding. */
export function cachedResponse(body: Buffer, etag: string, headers: string[]): CachedResponse {
  const gzip = body.length >= GZIP_MIN_BYTES ? zlib.gzipSync(body, { level: 6 }) : null;
  const notModified = [...headers, "etag", etag];
  return {
    etag,
    body,
    gzip,
    notModified,
    plain: [...notModified, "content-length", String(body.length)],
    gzipped: gzip ? [...notModified, "content-encoding", "gzip", "content-length", String(gzip.length)] : [],
  };
}

export const cachedSize = (r: CachedResponse) => r.body.length + (r.gzip?.length ?? 0);

/** Answers GET or HEAD with the kept response: 304 when the client has it, gzip when it takes it. */
export function sendCached(req: IncomingMessage, res: ServerResponse, r: CachedResponse): void {
  if (matchesIfNoneMatch(req.headers["if-none-match"], r.etag)) {
    res.writeHead(304, r.notModified).end();
    return;
  }
  const gzip = r.gzip !== null && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
  res.writeHead(200, gzip ? r.gzipped : r.plain);
  res.end(req.method === "HEAD" ? undefined : gzip ? r.gzip : r.body);
}

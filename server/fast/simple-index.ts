// `/simple/`, the PEP 503/691 index of every project, answered by the edge and streamed: read in
// keyset pages (lib/index-api/queries.ts), each written once the client has taken the one before.
// It is answered here rather than by the Next.js worker because a client that reads it slowly holds
// whatever serves it until it is done: in the worker that was one of its few render places (16
// slow readers stalled every page), here it is one socket and one page of names in memory.
// Nothing is kept: every answer is read from PostgreSQL, so it is as fresh as the database.
import "server-only";
import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { lastSerial, listIndexProjects } from "@/lib/index-api/queries";
import {
  etagFor,
  INDEX_CACHE,
  matchesIfNoneMatch,
  negotiate,
  renderIndexHtmlChunks,
  renderIndexJsonChunks,
  SIMPLE_VARY,
} from "@/lib/index-api/simple";
import { securityHeaders } from "@/lib/http/security-headers";

/** Serves `/simple/` (GET and HEAD; other methods get 405); `/simple` is sent there, as PyPI does. */
export async function serveSimpleIndex(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
  if (!pathname.endsWith("/")) {
    res.writeHead(301, { location: "/simple/", "cache-control": INDEX_CACHE }).end();
    return true;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res
      .writeHead(405, ["allow", "GET, HEAD", "content-type", "text/plain; charset=utf-8", ...securityHeaders(null)])
      .end("The index of projects is read with GET or HEAD.\n");
    return true;
  }
  const { format, contentType } = negotiate(req.headers.accept);
  const serial = await lastSerial();
  const etag = etagFor("simple-root", serial, contentType);
  const headers = [
    "content-type",
    contentType,
    "vary",
    SIMPLE_VARY,
    "etag",
    etag,
    "cache-control",
    INDEX_CACHE,
    "x-pypi-last-serial",
    String(serial),
    ...securityHeaders(null),
  ];
  if (matchesIfNoneMatch(req.headers["if-none-match"], etag)) {
    res.writeHead(304, headers).end();
    return true;
  }
  res.writeHead(200, headers);
  if (req.method === "HEAD") {
    res.end();
    return true;
  }
  async function* entries() {
    for await (const page of listIndexProjects()) yield* page;
  }
  const chunks = format === "json" ? renderIndexJsonChunks(entries(), serial) : renderIndexHtmlChunks(entries());
  for await (const chunk of chunks) {
    // The client is gone: stop reading the database for it (leaving the loop ends the generators).
    if (res.destroyed) return true;
    if (!res.write(chunk)) await Promise.race([once(res, "drain"), once(res, "close")]);
  }
  res.end();
  return true;
}

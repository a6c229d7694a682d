// Anonymous project pages (`/project/<name>` and `/project/<name>/<version>`) served from memory.
// Next renders a page once (~30 ms of CPU); what it sent is kept with the project's serial at the
// time, and given to every visitor without a session while that serial is current (confirmed in
// PostgreSQL on each request, so a change made through any process shows at once). Signed-in
// visitors, client-side navigations (RSC requests) and query strings always go to Next: their
// pages differ per request.
import "server-only";
import crypto from "node:crypto";
import zlib from "node:zlib";
import { promisify } from "node:util";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { normalizeName } from "@/lib/packaging/names";
import { matchesIfNoneMatch } from "@/lib/packaging/simple-api";
import { sessionTokenFrom } from "@/lib/accounts/session-cookie";
import { projectSerial } from "./freshness";
import { byteCache } from "./memory";

const PATH = /^\/project\/([^/]+)(?:\/[^/]+)?$/;
const gzip = promisify(zlib.gzip);

interface Page {
  serial: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

let cache: ReturnType<typeof byteCache<Page>> | undefined;
const rendering = new Map<string, Promise<void>>();

/** Headers that describe one transfer, not the page: never replayed from the cache. */
const PER_RESPONSE = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "etag", "set-cookie"]);

type Render = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Serves an anonymous project page from the cache, or lets `render` (Next) answer it and keeps
 * what it sent. Returns false when the request is not one this cache may answer.
 */
export async function serveProjectPage(req: IncomingMessage, res: ServerResponse, url: string, render: Render): Promise<boolean> {
  const match = url.includes("?") ? null : PATH.exec(url);
  if (!match || (req.method !== "GET" && req.method !== "HEAD")) return false;
  if (sessionTokenFrom(req.headers.cookie) !== null || req.headers.rsc !== undefined || req.headers["next-action"] !== undefined) return false;
  let name: string;
  try {
    name = decodeURIComponent(match[1]!);
  } catch {
    return false;
  }
  // Not-normalized names are redirected and unknown ones answered 404 by Next, uncached.
  if (normalizeName(name) !== name) return false;
  const serial = await projectSerial(name);
  if (serial === undefined) return false;

  cache ??= byteCache<Page>(0.25, (p) => p.body.length + p.gzip.length);
  for (;;) {
    const page = cache.get(url);
    if (page?.serial === serial) return send(req, res, page), true;
    // Visitors arriving while the page renders wait for that render rather than start their own.
    const pending = rendering.get(url);
    if (!pending) break;
    await pending.catch(() => {});
  }
  if (req.method === "HEAD") return false;
  const done = renderAndKeep(req, res, url, serial, render);
  rendering.set(url, done);
  try {
    await done;
  } finally {
    rendering.delete(url);
  }
  return true;
}

function send(req: IncomingMessage, res: ServerResponse, page: Page): void {
  const headers: OutgoingHttpHeaders = { ...page.headers, etag: page.etag };
  if (matchesIfNoneMatch(req.headers["if-none-match"], page.etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  const zipped = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  const body = zipped ? page.gzip : page.body;
  if (zipped) headers["content-encoding"] = "gzip";
  headers["content-length"] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}

async function renderAndKeep(req: IncomingMessage, res: ServerResponse, url: string, serial: number, render: Render): Promise<void> {
  // Rendered without compression so the kept bytes are the page itself. The render may show a
  // snapshot newer than `serial`; kept under `serial`, it is at worst rendered once more.
  delete req.headers["accept-encoding"];
  const sent = capture(res);
  await render(req, res);
  const result = await sent;
  const type = String(res.getHeader("content-type") ?? "");
  if (result && res.statusCode === 200 && type.startsWith("text/html") && res.getHeader("set-cookie") === undefined) {
    const headers = Object.fromEntries(Object.entries(res.getHeaders()).filter(([k]) => !PER_RESPONSE.has(k)));
    // Served compressed or not by Accept-Encoding from now on: caches downstream must know.
    if (!/accept-encoding/i.test(String(headers.vary ?? ""))) headers.vary = headers.vary ? `${String(headers.vary)}, Accept-Encoding` : "Accept-Encoding";
    const etag = `"p-${crypto.createHash("sha256").update(result).digest("base64url").slice(0, 27)}"`;
    cache!.set(url, { serial, headers, body: result, gzip: await gzip(result), etag });
  }
}

/** Collects the body written to `res`; resolves when the response has finished (null if it broke off). */
function capture(res: ServerResponse): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  const keep = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === "string") chunks.push(Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== "function") keep(chunk, rest[0]);
    return (end as (...args: unknown[]) => ServerResponse)(chunk, ...rest);
  }) as typeof res.end;
  return new Promise((resolve) => {
    res.once("finish", () => resolve(Buffer.concat(chunks)));
    res.once("close", () => resolve(res.writableFinished ? Buffer.concat(chunks) : null));
  });
}

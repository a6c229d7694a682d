// Project pages (`/project/<name>` and `/project/<name>/<version>`) served from memory.
// Next renders a page once; what it sent is kept with the project's serial at the time, and given
// to every visitor while that serial is current (confirmed in PostgreSQL on each request, so a
// change made through any process shows at once). Signed-in visitors get the same bytes: the page
// holds nothing personal (the header's account links and "Manage project" are filled in by the
// browser from /_includes/current-user), and it is rendered without the visitor's cookies, so no
// one's session can reach it. Client-side navigations (RSC requests) and query strings go to Next.
import "server-only";
import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { normalizeName } from "@/lib/packaging/names";
import { contentSecurityPolicy, keptPageScripts } from "@/lib/http/security-headers";
import { cachedResponse, cachedSize, sendKept, type CachedResponse } from "./cached-response";
import { projectSerial } from "./freshness";
import { byteCache } from "./memory";

// With or without the trailing slash: the JSON API links to `/project/<name>/`, as PyPI does.
const PATH = /^\/project\/([^/]+)(?:\/[^/]+)?\/?$/;

interface Page extends CachedResponse {
  serial: number;
}

let cache: ReturnType<typeof byteCache<Page>> | undefined;

/** The kept pages, by URL (what tests look into to see whether a page carries its gzip bytes yet). */
export function projectPages(): ReturnType<typeof byteCache<Page>> {
  cache ??= byteCache<Page>(0.25, cachedSize);
  return cache;
}

const rendering = new Map<string, Promise<void>>();

/**
 * Headers that describe one transfer, not the page: never replayed from the cache. The policy
 * names the render's nonce, which a kept page must not reuse: it is replaced by script hashes.
 */
const PER_RESPONSE = new Set([
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
  "etag",
  "set-cookie",
  "content-security-policy",
]);

/** Answers the request through Next, resolving with the body it sent (null if it broke off). */
type Render = (req: IncomingMessage, res: ServerResponse, keepBody: true) => Promise<Buffer | null>;

/**
 * Serves a project page from the cache, or lets `render` (Next) answer it and keeps
 * what it sent. Returns false when the request is not one this cache may answer.
 */
export async function serveProjectPage(
  req: IncomingMessage,
  res: ServerResponse,
  url: string,
  render: Render,
): Promise<boolean> {
  const match = url.includes("?") ? null : PATH.exec(url);
  if (!match || (req.method !== "GET" && req.method !== "HEAD")) return false;
  if (req.headers.rsc !== undefined || req.headers["next-action"] !== undefined) return false;
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

  const cache = projectPages();
  for (;;) {
    const page = cache.get(url);
    if (page?.serial === serial) return (sendKept(req, res, cache, url, page), true);
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

async function renderAndKeep(
  req: IncomingMessage,
  res: ServerResponse,
  url: string,
  serial: number,
  render: Render,
): Promise<void> {
  // Rendered without compression so the kept bytes are the page itself. The render may show a
  // snapshot newer than `serial`; kept under `serial`, it is at worst rendered once more.
  delete req.headers["accept-encoding"];
  // Rendered as for a visitor without a session, whoever asked: the kept bytes are everyone's.
  delete req.headers.cookie;
  const body = await render(req, res, true);
  const type = String(res.getHeader("content-type") ?? "");
  if (!body || res.statusCode !== 200 || !type.startsWith("text/html") || res.getHeader("set-cookie") !== undefined)
    return;
  const scripts = keptPageScripts(body, String(res.getHeader("content-security-policy") ?? ""));
  if (scripts === undefined) return;
  const headers = ["content-security-policy", contentSecurityPolicy(scripts)];
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (PER_RESPONSE.has(name) || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.push(name, String(v));
  }
  // Served compressed or not by Accept-Encoding from now on: caches downstream must know.
  const vary = res.getHeader("vary");
  if (!/accept-encoding/i.test(String(vary ?? ""))) {
    if (vary === undefined) headers.push("vary", "Accept-Encoding");
    else headers[headers.indexOf("vary") + 1] += ", Accept-Encoding";
  }
  const etag = `"p-${crypto.createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  projectPages().set(url, { serial, ...cachedResponse(body, etag, headers) });
}

// `/pypi/<project>/json` and `/pypi/<project>/<version>/json` answered by server/main.ts before
// Next, as `/simple/<project>/` is (./simple-pages.ts): the document Next's route would send
// (lib/index-api/responses.ts renders it for both), kept in memory plain and gzipped per URL
// with the project's serial, and reused while PostgreSQL confirms that serial on each request.
// Redirects of unnormalized names and 404s are left to Next.
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { normalizeName } from "@/lib/packaging/names";
import { jsonApiDocument } from "@/lib/index-api/responses";
import { securityHeaders } from "@/lib/http/security-headers";
import { cachedResponse, indexResponses, sendCached, type IndexResponse } from "./cached-response";
import { projectSerial } from "./freshness";

const PATH = /^\/pypi\/([^/]+)\/(?:([^/]+)\/)?json$/;

/** Requests for a document being rendered wait for that render rather than start their own. */
const rendering = new Map<string, Promise<IndexResponse | null>>();

async function render(name: string, version: string | undefined): Promise<IndexResponse | null> {
  const doc = await jsonApiDocument(name, version);
  if (!doc || "notFound" in doc) return null;
  // Rendered from a snapshot that may be newer than the serial asked about; it carries its own.
  const headers = [...doc.headers, "vary", "Accept-Encoding", ...securityHeaders(null)];
  return { serial: doc.serial, ...cachedResponse(Buffer.from(doc.body), doc.etag, headers) };
}

/** Serves the request if it is a JSON API document of a known project; returns false to let Next handle it. */
export async function serveJsonApi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
  const match = PATH.exec(pathname);
  if (!match || (req.method !== "GET" && req.method !== "HEAD")) return false;
  let name: string;
  let version: string | undefined;
  try {
    name = decodeURIComponent(match[1]!);
    version = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
  } catch {
    return false;
  }
  if (normalizeName(name) !== name) return false;
  const serial = await projectSerial(name);
  if (serial === undefined) return false;

  const cache = indexResponses();
  const key = `json:${name}/${version ?? ""}`;
  let kept = cache.get(key);
  if (kept?.serial !== serial) {
    const pendingKey = `${key}\0${serial}`;
    let pending = rendering.get(pendingKey);
    if (!pending) {
      pending = render(name, version).finally(() => rendering.delete(pendingKey));
      rendering.set(pendingKey, pending);
    }
    const fresh = await pending;
    if (!fresh) return false;
    kept = fresh;
    cache.set(key, kept);
  }
  sendCached(req, res, kept);
  return true;
}

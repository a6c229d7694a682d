// `/simple/<project>/` answered by server/main.ts before Next: rendered bytes (each format; gzipped
// once a client takes gzip) kept in memory and reused while the project's serial in PostgreSQL is
// unchanged. The serial is confirmed on every request (./freshness.ts, coalesced), so an upload,
// yank or deletion made through any process shows in the very next response: nothing stale is served.
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { normalizeName } from "@/lib/packaging/names";
import { getIndexProject } from "@/lib/index-api/queries";
import { etagFor, INDEX_CACHE, negotiate, renderProjectHtml, renderProjectJson } from "@/lib/index-api/simple";
import { securityHeaders } from "@/lib/http/security-headers";
import { cachedResponse, indexResponses, keepNewest, sendKept, type IndexResponse } from "./cached-response";
import { projectSerial } from "./freshness";

const PATH = /^\/simple\/([^/]+)\/?$/;

function render(
  project: NonNullable<Awaited<ReturnType<typeof getIndexProject>>>,
  contentType: string,
  format: "html" | "json",
): IndexResponse {
  const body = Buffer.from(format === "json" ? renderProjectJson(project) : renderProjectHtml(project));
  const etag = etagFor("simple", project.normalizedName, project.lastSerial, contentType);
  const headers = [
    "content-type",
    contentType,
    "vary",
    "Accept, Accept-Encoding",
    "cache-control",
    INDEX_CACHE,
    "x-pypi-last-serial",
    String(project.lastSerial),
    ...securityHeaders(null),
  ];
  return { serial: project.lastSerial, ...cachedResponse(body, etag, headers) };
}

// Clients send few distinct Accept headers (pip's, a browser's, curl's): parse each once.
const negotiated = new Map<string, ReturnType<typeof negotiate>>();
function negotiateOnce(accept: string | undefined): ReturnType<typeof negotiate> {
  let result = negotiated.get(accept ?? "");
  if (!result) {
    result = negotiate(accept);
    if (negotiated.size < 256) negotiated.set(accept ?? "", result);
  }
  return result;
}

function notFound(res: ServerResponse, normalized: string): void {
  res
    .writeHead(404, ["content-type", "text/plain; charset=utf-8", ...securityHeaders(null)])
    .end(`No project named '${normalized}'.\n`);
}

/** Serves the request if it is a project's simple page; returns false to let Next handle it. */
export async function serveSimplePage(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
  const match = PATH.exec(pathname);
  if (!match || (req.method !== "GET" && req.method !== "HEAD")) return false;
  let name: string;
  try {
    name = decodeURIComponent(match[1]!);
  } catch {
    return false;
  }
  const normalized = normalizeName(name);
  if (name !== normalized || !pathname.endsWith("/")) {
    res.writeHead(301, { location: `/simple/${encodeURIComponent(normalized)}/`, "cache-control": INDEX_CACHE }).end();
    return true;
  }
  const { format, contentType } = negotiateOnce(req.headers.accept);
  const cache = indexResponses();
  const key = `simple:${normalized}\0${contentType}`;
  let rendered = cache.get(key);
  // A kept page is sent only while PostgreSQL confirms its serial. Without one, the render's own
  // read (started after the request came) is as fresh, and a separate check would cost a query.
  if (rendered) {
    const serial = await projectSerial(normalized);
    if (serial === undefined) return (notFound(res, normalized), true);
    if (rendered.serial !== serial) rendered = undefined;
  }
  if (!rendered) {
    const project = await getIndexProject(normalized);
    if (!project) return (notFound(res, normalized), true);
    // Rendered from a snapshot that may be newer than the kept one's; it carries the serial it shows.
    rendered = keepNewest(key, render(project, contentType, format));
  }
  sendKept(req, res, cache, key, rendered);
  return true;
}

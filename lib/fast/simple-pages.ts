// `/simple/<project>/` answered by server/main.ts before Next: rendered bytes (both formats, plain
// and gzip) kept in memory per project and reused while the project's serial in PostgreSQL is
// unchanged. The serial is read on every request (one indexed lookup), so an upload, yank or
// deletion made through any process shows in the very next response: nothing stale is served.
import "server-only";
import zlib from "node:zlib";
import type { IncomingMessage, ServerResponse } from "node:http";
import pg from "pg";
import { normalizeName } from "@/lib/packaging/names";
import { getIndexProject } from "@/lib/packaging/queries";
import { etagFor, matchesIfNoneMatch, negotiate, renderProjectHtml, renderProjectJson } from "@/lib/packaging/simple-api";

const PATH = /^\/simple\/([^/]+)\/?$/;
const INDEX_CACHE = "max-age=600, public";
const GZIP_MIN_BYTES = 1024;
const MAX_ENTRIES = 5000;

interface Rendered {
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
}

interface Entry {
  serial: number;
  variants: Map<string, Rendered>;
}

const cache = new Map<string, Entry>();
let pool: pg.Pool | undefined;

function db(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 8 });
  return pool;
}

function render(project: NonNullable<Awaited<ReturnType<typeof getIndexProject>>>, contentType: string, format: "html" | "json"): Rendered {
  const body = Buffer.from(format === "json" ? renderProjectJson(project) : renderProjectHtml(project));
  return {
    body,
    gzip: body.length >= GZIP_MIN_BYTES ? zlib.gzipSync(body, { level: 6 }) : null,
    etag: etagFor("simple", project.normalizedName, project.lastSerial, contentType),
  };
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
  const { rows } = await db().query<{ last_serial: string }>("SELECT last_serial FROM projects WHERE normalized_name = $1", [normalized]);
  if (!rows.length) {
    cache.delete(normalized);
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`No project named '${normalized}'.\n`);
    return true;
  }
  const serial = Number(rows[0]!.last_serial);
  const { format, contentType } = negotiate(req.headers.accept);
  let entry = cache.get(normalized);
  if (!entry || entry.serial !== serial) {
    entry = { serial, variants: new Map() };
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(normalized, entry);
  }
  let rendered = entry.variants.get(contentType);
  if (!rendered) {
    const project = await getIndexProject(normalized);
    if (!project) return false;
    // Rendered from a snapshot that may be newer than `serial`: key it by what it shows.
    rendered = render(project, contentType, format);
    if (project.lastSerial === serial) entry.variants.set(contentType, rendered);
  }
  const headers: Record<string, string | number> = {
    "content-type": contentType,
    vary: "Accept, Accept-Encoding",
    etag: rendered.etag,
    "cache-control": INDEX_CACHE,
    "x-pypi-last-serial": serial,
  };
  if (matchesIfNoneMatch(req.headers["if-none-match"], rendered.etag)) {
    res.writeHead(304, headers).end();
    return true;
  }
  const gzip = rendered.gzip && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  const body = gzip ? rendered.gzip! : rendered.body;
  if (gzip) headers["content-encoding"] = "gzip";
  headers["content-length"] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}

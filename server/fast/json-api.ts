// `/pypi/<project>/json` and `/pypi/<project>/<version>/json` answered by server/main.ts before
// Next, as `/simple/<project>/` is (./simple-pages.ts): the document Next's route would send
// (lib/index-api/responses.ts renders it for both), kept in memory per URL with the project's
// serial, and reused while PostgreSQL confirms that serial on each request. A first render costs
// one query, shared with the other first renders that arrive together (./coalesce.ts), and no
// separate freshness check: that query started after the request arrived. Redirects of
// unnormalized names and 404s are left to Next.
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { normalizeName } from "@/lib/packaging/names";
import type { JsonApiProject } from "@/lib/index-api/json";
import { getJsonApiProjects, getJsonApiRelease } from "@/lib/index-api/queries";
import { renderJsonApiDocument } from "@/lib/index-api/responses";
import { securityHeaders } from "@/lib/http/security-headers";
import { cachedResponse, indexResponses, keepNewest, sendKept, type IndexResponse } from "./cached-response";
import { coalesced } from "./coalesce";
import { projectSerial } from "./freshness";

const PATH = /^\/pypi\/([^/]+)\/(?:([^/]+)\/)?json$/;

const latestProject = coalesced<string, JsonApiProject>(getJsonApiProjects);

// Besides the document's own headers: Vary, since the edge chooses between plain and gzip, and
// what the server adds to Next's answers. The same for every document of a process (its CSP is
// built from the configuration), so built once rather than at every first render.
let extra: string[] | undefined;
const edgeHeaders = () => (extra ??= ["vary", "Accept-Encoding", ...securityHeaders(null)]);

/** Requests for one project that share a query share its render too. */
const rendered = new WeakMap<JsonApiProject, IndexResponse | null>();

async function render(name: string, version: string | undefined): Promise<IndexResponse | null> {
  const project = version === undefined ? await latestProject(name) : await getJsonApiRelease(name, version);
  if (!project) return null;
  let response = rendered.get(project);
  if (response === undefined) {
    const doc = renderJsonApiDocument(project, version);
    const headers = "notFound" in doc ? [] : [...doc.headers, ...edgeHeaders()];
    response =
      "notFound" in doc ? null : { serial: doc.serial, ...cachedResponse(Buffer.from(doc.body), doc.etag, headers) };
    rendered.set(project, response);
  }
  return response;
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

  const cache = indexResponses();
  // The URL says everything that changes the bytes but the project's state (the serial, checked
  // below) and the public URL the links are built from, which is one per process (config().baseUrl).
  const key = `json:${name}/${version ?? ""}`;
  const kept = cache.get(key);
  if (kept) {
    const serial = await projectSerial(name);
    if (serial === undefined) return false;
    if (kept.serial === serial) {
      sendKept(req, res, cache, key, kept);
      return true;
    }
  }
  const fresh = await render(name, version);
  if (!fresh) return false;
  sendKept(req, res, cache, key, keepNewest(key, fresh));
  return true;
}

// HTTP responses of the JSON API served by Next (/pypi/…/json): ETags and caching headers, kept out
// of the route handlers. The /simple/ pages are the edge's alone: server/fast/simple-*.ts.
import "server-only";
import { config } from "@/lib/config";
import { normalizeName } from "../packaging/names";
import { getJsonApiProjects, getJsonApiRelease } from "./queries";
import { etagFor, INDEX_CACHE, matchesIfNoneMatch } from "./simple";
import { renderProjectJsonApi, type JsonApiProject } from "./json";

/** Route parameters arrive percent-encoded or not; malformed escapes are kept as typed. */
function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function notFound(what: string): Response {
  return new Response(`${what}\n`, { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
}

function redirect(location: string): Response {
  return new Response(null, { status: 301, headers: { location, "cache-control": INDEX_CACHE } });
}

/** A project's `/pypi/…/json` document as both the edge (server/fast/json-api.ts) and Next serve it. */
export interface JsonApiDocument {
  serial: number;
  etag: string;
  /** Flat [name, value, …], without the etag. */
  headers: string[];
  body: string;
}

/**
 * The JSON API's answer for a project (its normalized name) and, for `/pypi/<project>/<version>/json`,
 * one version (decoded): null for an unknown project, a message for a missing release.
 */
export async function jsonApiDocument(
  normalized: string,
  version: string | undefined,
): Promise<JsonApiDocument | { notFound: string } | null> {
  const project =
    version === undefined
      ? ((await getJsonApiProjects([normalized])).get(normalized) ?? null)
      : await getJsonApiRelease(normalized, version);
  return project && renderJsonApiDocument(project, version);
}

/** The document of a project read by getJsonApiProjects (no `version`) or getJsonApiRelease. */
export function renderJsonApiDocument(
  project: JsonApiProject,
  version: string | undefined,
): JsonApiDocument | { notFound: string } {
  const document = renderProjectJsonApi(project, config().baseUrl);
  if (!document) {
    return {
      notFound:
        version === undefined
          ? `Project '${project.name}' has no releases.`
          : `Project '${project.name}' has no release ${version}.`,
    };
  }
  const body = JSON.stringify(document);
  return {
    serial: project.lastSerial,
    // Of what decides the bytes, as for /simple/ pages: the project's state (its serial), the
    // version asked for and the public URL the links are built from. Hashing the body instead
    // (17 KB for 10 releases) was 7 % of the edge's time for a document it had to build.
    etag: etagFor("json", project.name, project.lastSerial, version ?? "", config().baseUrl),
    headers: [
      "content-type",
      "application/json",
      "cache-control",
      INDEX_CACHE,
      "x-pypi-last-serial",
      String(project.lastSerial),
      "access-control-allow-origin",
      "*",
    ],
    body,
  };
}

/** Next's route for what the edge does not answer itself: redirects, 404s, and the edge's own fallbacks. */
export async function jsonApiResponse(
  rawName: string,
  rawVersion: string | undefined,
  ifNoneMatch: string | null,
): Promise<Response> {
  const name = decode(rawName);
  const version = rawVersion === undefined ? undefined : decode(rawVersion);
  const normalized = normalizeName(name);
  if (name !== normalized) {
    return redirect(`/pypi/${encodeURIComponent(normalized)}/${version ? `${encodeURIComponent(version)}/` : ""}json`);
  }
  const doc = await jsonApiDocument(normalized, version);
  if (!doc) return notFound(`No project named '${normalized}'.`);
  if ("notFound" in doc) return notFound(doc.notFound);
  const headers = new Headers({ etag: doc.etag });
  for (let i = 0; i < doc.headers.length; i += 2) headers.set(doc.headers[i]!, doc.headers[i + 1]!);
  if (matchesIfNoneMatch(ifNoneMatch, doc.etag)) return new Response(null, { status: 304, headers });
  return new Response(doc.body, { status: 200, headers });
}

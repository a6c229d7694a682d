// `/pypi/<project>/json` answered by the edge (server/fast/json-api.ts) must be the document Next's
// route answers (app/pypi/…/route.ts), byte for byte and header for header, and must show every
// change in the very next answer. Both run here against the real database.
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveJsonApi } from "@/server/fast/json-api";
import { securityHeaders } from "@/lib/http/security-headers";
import { setYanked } from "@/lib/projects/manage";
import { GET as projectRoute } from "@/app/pypi/[project]/json/route";
import { GET as versionRoute } from "@/app/pypi/[project]/[version]/json/route";
import { withTempDataDir } from "../unit/helpers";
import { publish, publishedProject } from "../projects/support";
import { rawRequest, serveFastPath, type FastPathServer } from "../support/fast-path";

withTempDataDir();

let server: FastPathServer;
beforeAll(async () => {
  server = await serveFastPath((req, res) => serveJsonApi(req, res, req.url!.split("?")[0]!));
});
afterAll(() => server.close());

/** The edge's raw answer: status, headers and body bytes as sent (not decompressed). */
const edge = (path: string, headers: Record<string, string> = {}) => rawRequest(server.url + path, { headers });

/** What Next's route handler answers for the same URL. */
async function route(path: string, headers: Record<string, string> = {}): Promise<Response> {
  const [, project, version] = /^\/pypi\/([^/]+)\/(?:([^/]+)\/)?json$/.exec(path)!;
  const request = new Request(`http://localhost${path}`, { headers });
  return version === undefined
    ? projectRoute(request, { params: Promise.resolve({ project: project! }) })
    : versionRoute(request, { params: Promise.resolve({ project: project!, version }) });
}

/** The headers Next adds to every response besides the route's own: the edge sends them too. */
const FRAMEWORK = Object.fromEntries(
  Object.entries(Object.fromEntries(chunk(securityHeaders(null)))).filter(
    ([name]) => name !== "content-security-policy",
  ),
);
function chunk(flat: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  return pairs;
}

describe("/pypi/<project>/json from the edge", () => {
  it("answers what Next's route answers, for the project and for one version, plain, gzipped and 304", async () => {
    const { project } = await publishedProject(["1.0", "2.0"]);
    for (const path of [`/pypi/${project.normalizedName}/json`, `/pypi/${project.normalizedName}/1.0/json`]) {
      const ours = await edge(path);
      const theirs = await route(path);
      expect(ours.status).toBe(theirs.status);
      expect(ours.body.toString("utf8")).toBe(await theirs.text());
      for (const [name, value] of theirs.headers) expect([name, ours.headers[name]]).toEqual([name, value]);
      // Beside the route's own headers: the ones the server adds to whatever Next answers, and
      // Vary, since the edge itself chooses between the plain and gzipped bytes.
      expect(ours.headers).toMatchObject({
        ...FRAMEWORK,
        vary: "Accept-Encoding",
        "content-length": String(ours.body.length),
      });
      expect(ours.headers["content-security-policy"]).toContain("script-src 'self'");

      const gzipped = await edge(path, { "accept-encoding": "gzip, deflate, br" });
      expect(gzipped.headers["content-encoding"]).toBe("gzip");
      expect(zlib.gunzipSync(gzipped.body)).toEqual(ours.body);
      // A client that refuses gzip gets the plain bytes.
      expect(
        (await edge(path, { "accept-encoding": "gzip;q=0, identity" })).headers["content-encoding"],
      ).toBeUndefined();

      const etag = ours.headers.etag!;
      const notModified = await edge(path, { "if-none-match": etag });
      const routeNotModified = await route(path, { "if-none-match": etag });
      expect([notModified.status, routeNotModified.status]).toEqual([304, 304]);
      expect(notModified.body.length).toBe(0);
      for (const [name, value] of routeNotModified.headers)
        expect([name, notModified.headers[name]]).toEqual([name, value]);
    }
  });

  it("gzips a kept document when a client first takes gzip, whichever answer came first", async () => {
    const { project } = await publishedProject(["1.0", "2.0", "3.0", "4.0", "5.0"]);
    const path = `/pypi/${project.normalizedName}/json`;
    const plainFirst = await edge(path);
    expect(plainFirst.headers["content-encoding"]).toBeUndefined();
    const gzipped = await edge(path, { "accept-encoding": "gzip" });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.headers.etag).toBe(plainFirst.headers.etag);
    expect(zlib.gunzipSync(gzipped.body)).toEqual(plainFirst.body);
    expect(gzipped.headers["content-length"]).toBe(String(gzipped.body.length));

    const version = `/pypi/${project.normalizedName}/2.0/json`;
    const gzipFirst = await edge(version, { "accept-encoding": "gzip" });
    const plainAfter = await edge(version);
    expect(zlib.gunzipSync(gzipFirst.body)).toEqual(plainAfter.body);
    expect(plainAfter.body.toString("utf8")).toBe(await (await route(version)).text());
  });

  it("shows an upload and a yank in the very next answer", async () => {
    const { project, owner, token } = await publishedProject(["1.0"]);
    const path = `/pypi/${project.normalizedName}/json`;
    const version = `/pypi/${project.normalizedName}/1.0/json`;
    const info = async (p: string) =>
      JSON.parse((await edge(p)).body.toString("utf8")) as {
        info: { version: string; yanked: boolean };
        last_serial: number;
      };
    expect((await info(path)).info.version).toBe("1.0");
    expect((await info(version)).info.yanked).toBe(false);

    await publish(token, project.name, "2.0");
    const afterUpload = await info(path);
    expect(afterUpload.info.version).toBe("2.0");
    expect(JSON.parse(await (await route(path)).text())).toEqual(afterUpload);

    expect((await setYanked(project.id, "1.0", true, "broken", owner)).ok).toBe(true);
    expect((await info(version)).info).toMatchObject({ version: "1.0", yanked: true });
  });

  it("leaves redirects, unknown projects and unknown versions to Next", async () => {
    const { project } = await publishedProject(["1.0"]);
    expect((await edge(`/pypi/${project.normalizedName.toUpperCase()}/json`)).status).toBe(404);
    expect((await edge(`/pypi/no-such-project-${project.normalizedName}/json`)).status).toBe(404);
    expect((await edge(`/pypi/${project.normalizedName}/9.9/json`)).status).toBe(404);
    // …which Next answers.
    expect((await route(`/pypi/${project.normalizedName.toUpperCase()}/json`)).status).toBe(301);
    expect((await route(`/pypi/${project.normalizedName}/9.9/json`)).status).toBe(404);
  });
});

// The fast paths keep responses plain and gzip one only when a client first takes gzip
// (server/fast/cached-response.ts's sendKept): once, with the gzipped copy put back in its cache so
// that later clients reuse it and the cache's byte budget counts it. Run over the three kinds of
// kept responses (/simple/ pages, JSON API documents, project pages) behind a real HTTP server,
// against the real database.
import type http from "node:http";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveSimplePage } from "@/server/fast/simple-pages";
import { serveJsonApi } from "@/server/fast/json-api";
import { projectPages, serveProjectPage } from "@/server/fast/project-pages";
import { indexResponses, type CachedResponse } from "@/server/fast/cached-response";
import { withTempDataDir } from "../unit/helpers";
import { publish, publishedProject } from "../projects/support";
import { answerAsNext, rawRequest, serveFastPath, type FastPathServer } from "../support/fast-path";

withTempDataDir();

/** Stands in for Next's render of a project page: a few KB of HTML naming the URL. */
function renderProjectPage(req: http.IncomingMessage, res: http.ServerResponse): Promise<Buffer> {
  const items = Array.from({ length: 100 }, (_, i) => `<li>${req.url} item ${i}</li>`).join("");
  return Promise.resolve(answerAsNext(res, `<ul>${items}</ul>`));
}

let server: FastPathServer;
beforeAll(async () => {
  server = await serveFastPath((req, res) => {
    const url = req.url!;
    if (url.startsWith("/simple/")) return serveSimplePage(req, res, url);
    if (url.startsWith("/pypi/")) return serveJsonApi(req, res, url);
    return serveProjectPage(req, res, url, renderProjectPage);
  });
});
afterAll(() => server.close());

const GZIP = { "accept-encoding": "gzip, deflate" };
const ask = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  rawRequest(server.url + path, { method, headers });

/** Where each kind of response is kept, and under which key. */
const kinds = [
  {
    kind: "/simple/<project>/",
    path: (name: string) => `/simple/${name}/`,
    kept: (name: string, contentType: string) => ({ cache: indexResponses(), key: `simple:${name}\0${contentType}` }),
  },
  {
    kind: "/pypi/<project>/json",
    path: (name: string) => `/pypi/${name}/json`,
    kept: (name: string) => ({ cache: indexResponses(), key: `json:${name}/` }),
  },
  {
    kind: "/project/<name>",
    path: (name: string) => `/project/${name}`,
    kept: (name: string) => ({ cache: projectPages(), key: `/project/${name}` }),
  },
];

describe.each(kinds)("$kind", ({ path: pathOf, kept: keptAt }) => {
  it("is kept without gzip, gzipped once for the first client that takes it, and the plain bytes stay", async () => {
    const { project } = await publishedProject(["1.0", "2.0", "3.0", "4.0", "5.0"]);
    const path = pathOf(project.normalizedName);
    // A project page's first answer is Next's render; the kept copy answers from the second on.
    const plain = (await ask(path), await ask(path));
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.length).toBeGreaterThanOrEqual(1024);
    expect(plain.headers["content-length"]).toBe(String(plain.body.length));
    const { cache, key } = keptAt(project.normalizedName, plain.headers["content-type"]!);
    const entry = (): CachedResponse | undefined => cache.peek(key);
    expect(entry()?.gzip).toBeNull();

    // Neither a HEAD without gzip nor a 304 (the client has the bytes) makes the gzip bytes.
    const head = await ask(path, {}, "HEAD");
    expect([head.status, head.body.length, head.headers["content-length"]]).toEqual([
      200,
      0,
      String(plain.body.length),
    ]);
    const etag = plain.headers.etag!;
    const notModified = await ask(path, { ...GZIP, "if-none-match": etag });
    expect([notModified.status, notModified.body.length, notModified.headers.etag]).toEqual([304, 0, etag]);
    expect(notModified.headers["content-encoding"]).toBeUndefined();
    expect(entry()?.gzip).toBeNull();

    const sizeBefore = cache.calculatedSize;
    const gzipped = await ask(path, GZIP);
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.headers["content-length"]).toBe(String(gzipped.body.length));
    expect(gzipped.headers.etag).toBe(etag);
    expect(gzipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(zlib.gunzipSync(gzipped.body)).toEqual(plain.body);
    // The entry now carries them, and the cache's budget counts them.
    const withGzip = entry()!;
    expect(withGzip.gzip).toEqual(gzipped.body);
    expect(cache.calculatedSize - sizeBefore).toBe(gzipped.body.length);

    const plainAgain = await ask(path);
    expect(plainAgain.headers["content-encoding"]).toBeUndefined();
    expect(plainAgain.body).toEqual(plain.body);
    const gzippedAgain = await ask(path, GZIP);
    expect(gzippedAgain.body).toEqual(gzipped.body);
    // Compressed once: the second gzip answer came from the same kept entry.
    expect(entry()).toBe(withGzip);

    const gzipHead = await ask(path, GZIP, "HEAD");
    expect([gzipHead.status, gzipHead.body.length]).toEqual([200, 0]);
    expect(gzipHead.headers).toMatchObject({
      "content-encoding": "gzip",
      "content-length": String(gzipped.body.length),
    });
    expect((await ask(path, { ...GZIP, "if-none-match": etag })).status).toBe(304);
    expect(entry()).toBe(withGzip);
  });

  it("is kept only while its serial is current: a change brings a new plain entry, gzipped anew", async () => {
    const { project, token } = await publishedProject(["1.0", "2.0", "3.0", "4.0", "5.0"]);
    const path = pathOf(project.normalizedName);
    await ask(path);
    const before = await ask(path, GZIP);
    expect(before.headers["content-encoding"]).toBe("gzip");

    await publish(token, project.name, "6.0");
    // The project page stand-in renders the same bytes for any state: the serial alone decides.
    const after = (await ask(path), await ask(path));
    const { cache, key } = keptAt(project.normalizedName, after.headers["content-type"]!);
    expect(cache.peek(key)?.gzip).toBeNull();
    const gzipped = await ask(path, GZIP);
    expect(zlib.gunzipSync(gzipped.body)).toEqual(after.body);
    expect(cache.peek(key)?.gzip).toEqual(gzipped.body);
  });
});

describe("a small kept response", () => {
  it("is never gzipped (under 1,024 bytes)", async () => {
    const { project } = await publishedProject(["1.0"]);
    const path = `/simple/${project.normalizedName}/`;
    const plain = await ask(path);
    expect(plain.body.length).toBeLessThan(1024);
    const asked = await ask(path, GZIP);
    expect(asked.headers["content-encoding"]).toBeUndefined();
    expect(asked.body).toEqual(plain.body);
    expect(asked.headers["content-length"]).toBe(String(plain.body.length));
    const { cache, key } = kinds[0]!.kept(project.normalizedName, plain.headers["content-type"]!);
    expect(cache.peek(key)?.gzip).toBeNull();
  });
});

// `/simple/`, the index of every project, is answered by the edge (server/fast/simple-index.ts), not
// by the Next.js worker: a client reading it slowly held one of the worker's few places for as long
// as it took, so 16 slow readers stalled every page render. Here a real edge (server/edge.ts) behind
// the real listener (server/connections.ts) runs against the real database, with a stand-in for the
// worker that answers pages at once and streams an index that never ends (as a huge one read slowly).
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEdge, type Edge } from "@/server/edge";
import { listen, localEdge } from "@/server/connections";
import { withTempDataDir } from "../unit/helpers";
import { publishedProject } from "../projects/support";
import { rawRequest, serveFastPath, type FastPathServer } from "../support/fast-path";

withTempDataDir();

const workerSaw: string[] = [];
let worker: FastPathServer;
let edge: Edge;
let listener: net.Server;
let port = 0;
const sockets: net.Socket[] = [];

beforeAll(async () => {
  worker = await serveFastPath((req, res) => {
    workerSaw.push(req.url!);
    if (req.url === "/simple/") {
      res.writeHead(200, { "content-type": "text/html" });
      res.write("<!DOCTYPE html>\n"); // and never the rest
      return;
    }
    res.writeHead(200, { "content-type": "text/html" }).end("<p>rendered</p>");
  });
  edge = startEdge([{ port: worker.port, token: "test" }], 1);
  listener = await listen(0, "127.0.0.1", [localEdge(edge)], 0);
  port = (listener.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  listener.close();
  await edge.drain();
  await worker.close();
});

async function get(path: string, headers: Record<string, string> = {}, method = "GET") {
  const answer = await rawRequest(`http://127.0.0.1:${port}${path}`, { method, headers });
  return { ...answer, body: answer.body.toString("utf8") };
}

/** Asks for /simple/, takes the first bytes of the answer and then reads no more. */
function slowReader(): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1" }, () =>
      socket.write("GET /simple/ HTTP/1.1\r\nHost: localhost\r\n\r\n"),
    );
    sockets.push(socket);
    socket.once("data", () => {
      socket.pause();
      resolve();
    });
    socket.once("error", reject);
  });
}

describe("/simple/ from the edge", () => {
  it("lists every project in HTML and JSON, with its serial, ETag and the security headers", async () => {
    const { project } = await publishedProject();
    const html = await get("/simple/");
    expect(html.status).toBe(200);
    expect(html.headers["content-type"]).toBe("text/html");
    expect(html.body).toContain(`<a href="/simple/${project.normalizedName}/">${project.name}</a>`);
    expect(html.body.endsWith("</html>\n")).toBe(true);
    expect(html.headers["content-security-policy"]).toContain("script-src 'self';");
    expect(html.headers["x-content-type-options"]).toBe("nosniff");

    const json = await get("/simple/", { accept: "application/vnd.pypi.simple.v1+json" });
    const parsed = JSON.parse(json.body) as { meta: { "_last-serial": number }; projects: { name: string }[] };
    expect(parsed.projects.map((p) => p.name)).toContain(project.name);
    expect(String(parsed.meta["_last-serial"])).toBe(json.headers["x-pypi-last-serial"]);

    expect((await get("/simple/", { "if-none-match": html.headers.etag! })).status).toBe(304);
    const head = await get("/simple/", {}, "HEAD");
    expect([head.status, head.body]).toEqual([200, ""]);
    const bare = await get("/simple");
    expect([bare.status, bare.headers.location]).toEqual([301, "/simple/"]);
    const post = await get("/simple/", {}, "POST");
    expect([post.status, post.headers.allow]).toEqual([405, "GET, HEAD"]);
    // A project published after the first answer is in the next one: nothing is kept.
    const later = await publishedProject();
    expect((await get("/simple/")).body).toContain(`/simple/${later.project.normalizedName}/`);
  });

  it("is never read through the Next.js worker, so slow readers of it leave page renders alone", async () => {
    // More slow readers than the worker has places (16, server/backend.ts).
    await Promise.all(Array.from({ length: 20 }, slowReader));
    const page = await get("/help/");
    expect([page.status, page.body]).toEqual([200, "<p>rendered</p>"]);
    expect(workerSaw.filter((url) => url.startsWith("/simple"))).toEqual([]);
  });
});

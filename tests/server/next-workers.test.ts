// Several Next.js workers behind one edge (WHEELHOUSE_NEXT_WORKERS): each request goes to the worker
// with the fewest requests inside, with that worker's own token. Here a real edge (server/edge.ts)
// behind the real listener (server/connections.ts) passes pages to two stand-in workers that hold
// `/slow` requests until told to answer, as a worker busy rendering does.
import http from "node:http";
import type net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEdge, type Edge } from "@/server/edge";
import { listen, localEdge } from "@/server/connections";
import { BACKEND_TOKEN_HEADER } from "@/server/backend";
import { withTempDataDir } from "../unit/helpers";
import { rawRequest, serveFastPath, type FastPathServer } from "../support/fast-path";

withTempDataDir();

interface StandIn {
  name: string;
  server: FastPathServer;
  tokens: string[];
  held: http.ServerResponse[];
  release(): void;
}

async function standIn(name: string): Promise<StandIn> {
  const worker: StandIn = {
    name,
    server: undefined as unknown as FastPathServer,
    tokens: [],
    held: [],
    release() {
      for (const res of worker.held.splice(0)) res.writeHead(200, { "content-type": "text/html" }).end(name);
    },
  };
  worker.server = await serveFastPath((req, res) => {
    worker.tokens.push(String(req.headers[BACKEND_TOKEN_HEADER]));
    if (req.url === "/slow") worker.held.push(res);
    else res.writeHead(200, { "content-type": "text/html" }).end(name);
  });
  return worker;
}

let workers: StandIn[];
let edge: Edge;
let listener: net.Server;
let port = 0;

beforeAll(async () => {
  workers = [await standIn("first"), await standIn("second")];
  edge = startEdge(
    workers.map((w) => ({ port: w.server.port, token: `token-of-${w.name}` })),
    1,
  );
  listener = await listen(0, "127.0.0.1", [localEdge(edge)], 0);
  port = (listener.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const w of workers) w.release();
  listener.close();
  await edge.drain();
  for (const w of workers) await w.server.close();
});

const ask = async (path: string) => (await rawRequest(`http://127.0.0.1:${port}${path}`)).body.toString();

describe("several Next.js workers", () => {
  it("spreads pages over the workers, each request to the least busy one, with its own token", async () => {
    // Four renders at once: two inside each worker.
    const slow = Array.from({ length: 4 }, () => ask("/slow"));
    await expect.poll(() => workers.map((w) => w.held.length)).toEqual([2, 2]);

    // The first finishes its renders; the second is still busy with two: every new page goes to the first.
    workers[0]!.release();
    for (let i = 0; i < 3; i++) expect(await ask("/help")).toBe("first");
    expect(workers[1]!.held).toHaveLength(2);

    workers[1]!.release();
    expect((await Promise.all(slow)).sort()).toEqual(["first", "first", "second", "second"]);
    // With both idle again, turns alternate.
    expect([await ask("/help"), await ask("/help")].sort()).toEqual(["first", "second"]);
    for (const w of workers) expect(new Set(w.tokens)).toEqual(new Set([`token-of-${w.name}`]));
  });
});

// The listener in front of every edge (server/connections.ts): the per-address cap counts the
// connections of all edges together, and each connection goes to the edge with the fewest.
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { listen, type EdgeHandle } from "@/server/connections";

/** An edge that keeps what it is given and closes it on demand. */
function fakeEdge() {
  const sockets: net.Socket[] = [];
  const handle: EdgeHandle & { sockets: net.Socket[] } = {
    open: 0,
    sockets,
    give(socket, closed) {
      socket.once("close", closed);
      socket.resume();
      sockets.push(socket);
    },
  };
  return handle;
}

let server: net.Server | undefined;
const clients: net.Socket[] = [];
afterEach(() => {
  for (const c of clients) c.destroy();
  server?.close();
});

/** Connects from `address`; resolves with what the server sent before closing, or "open" once accepted and kept. */
function connect(port: number, address: string, accepted: () => boolean) {
  return new Promise<string>((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress: address });
    clients.push(socket);
    let answer = "";
    socket.on("data", (d) => (answer += d.toString()));
    socket.on("close", () => resolve(answer));
    const poll = setInterval(() => {
      if (accepted()) {
        clearInterval(poll);
        resolve("open");
      }
    }, 10);
    socket.on("close", () => clearInterval(poll));
  });
}

describe("the listener", () => {
  it("caps an address over all edges together and gives each connection to the least busy edge", async () => {
    const edges = [fakeEdge(), fakeEdge()];
    server = await listen(0, "127.0.0.1", edges, 3);
    const port = (server.address() as AddressInfo).port;
    const given = () => edges[0]!.sockets.length + edges[1]!.sockets.length;

    for (let n = 1; n <= 3; n++) expect(await connect(port, "127.0.0.2", () => given() === n)).toBe("open");
    // Each edge's own count is under the cap: only a count over both refuses the fourth.
    expect(await connect(port, "127.0.0.2", () => false)).toMatch(/^HTTP\/1\.1 503 /);
    // Another address has its own allowance; it goes to the edge holding fewer connections.
    expect(await connect(port, "127.0.0.3", () => given() === 4)).toBe("open");
    expect(edges.map((e) => e.sockets.length)).toEqual([2, 2]);

    // A closed connection frees its place, on its edge and for its address.
    const first = edges[0]!.sockets[0]!;
    first.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(edges.map((e) => e.open)).toEqual([1, 2]);
    expect(await connect(port, "127.0.0.2", () => given() === 5)).toBe("open");
    expect(edges.map((e) => e.open)).toEqual([2, 2]);
  });
});

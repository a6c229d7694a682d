// An edge process (WHEELHOUSE_WORKERS above 1): one more core's worth of fast paths. Started by
// server/main.ts, which owns everything else (the listener, the database, the Next.js worker, the
// storage sweep) and sends it connections (server/connections.ts). It keeps nothing that decides
// correctness: its caches are confirmed in PostgreSQL on every request, as every process's are.
import type net from "node:net";
import { startEdge } from "./edge";
import type { ConnectionMessage } from "./connections";
import type { NextAddress } from "./backend";

/** What an edge process learns from the server process before it serves. */
export interface EdgeSettings {
  next: NextAddress[];
  edges: number;
}

async function main() {
  if (!process.send) throw new Error("server/edge-worker.ts is started by server/main.ts, not directly.");
  const settings = new Promise<EdgeSettings>((resolve) => process.once("message", resolve));
  process.send({ settings: true });
  const { next, edges } = await settings;
  const edge = startEdge(next, edges);
  process.on("message", (m: ConnectionMessage | { stop: true }, socket?: net.Socket) => {
    if ("stop" in m) {
      void edge.drain().then(() => process.exit(0));
      return;
    }
    if (!("connection" in m) || !socket) return;
    const id = m.connection;
    edge.adopt(socket, () => {
      if (process.connected) process.send!({ closed: id } satisfies ConnectionMessage);
    });
  });
  process.send({ ready: true });
  // The server process decides when to stop (a terminal's signal reaches the whole group).
  process.on("SIGTERM", () => {});
  process.on("SIGINT", () => {});
  // The server process is gone (killed, say), and with it the listener: nothing is left to serve.
  process.on("disconnect", () => process.exit(0));
}

main().catch((err: unknown) => {
  console.error(`wheelhouse: an edge process cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

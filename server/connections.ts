// The server process's listener: it accepts every connection, applies the per-address cap over all
// of them, and gives each to the edge (server/edge.ts) serving the fewest connections: its own, or
// one in an edge process (server/edge-worker.ts), to which the socket is sent. One listener in one
// process keeps the cap exact whatever the number of edges, and choosing by load (not in turn)
// keeps long uploads and slow clients from piling onto one edge.
import net from "node:net";
import type { ChildProcess } from "node:child_process";
import type { Edge } from "./edge";

/** Messages between the server process and an edge process about connections. */
export type ConnectionMessage = { connection: number } | { closed: number };

export interface EdgeHandle {
  /** Connections given to this edge and not closed yet. */
  open: number;
  give(socket: net.Socket, closed: () => void): void;
}

/** The edge running in this process. */
export function localEdge(edge: Edge): EdgeHandle {
  const handle: EdgeHandle = {
    open: 0,
    give: (socket, closed) => edge.adopt(socket, closed),
  };
  return handle;
}

/** An edge process: sockets are sent to it (numbered), and it reports each one's close by number. */
export function remoteEdge(child: ChildProcess): EdgeHandle {
  const closes = new Map<number, () => void>();
  let next = 0;
  const close = (id: number) => {
    closes.get(id)?.();
    closes.delete(id);
  };
  child.on("message", (m: ConnectionMessage) => {
    if ("closed" in m) close(m.closed);
  });
  return {
    open: 0,
    give(socket, closed) {
      const id = next++;
      closes.set(id, closed);
      child.send({ connection: id } satisfies ConnectionMessage, socket, (err) => {
        if (!err) return;
        socket.destroy();
        close(id);
      });
    },
  };
}

/** Listens on `port`/`host`, capping each address at `maxPerAddress` open connections (0: no cap). */
export function listen(port: number, host: string, edges: EdgeHandle[], maxPerAddress: number): Promise<net.Server> {
  const open = new Map<string, number>();
  const server = net.createServer({ pauseOnConnect: true, noDelay: true }, (socket) => {
    const address = socket.remoteAddress ?? "";
    const count = (open.get(address) ?? 0) + 1;
    if (maxPerAddress > 0 && count > maxPerAddress) {
      const body = "Too many connections from your address; close some and retry.\n";
      socket.end(
        `HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 10\r\n` +
          `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      return;
    }
    open.set(address, count);
    let edge = edges[0]!;
    for (const candidate of edges) if (candidate.open < edge.open) edge = candidate;
    edge.open++;
    let done = false;
    edge.give(socket, () => {
      if (done) return;
      done = true;
      edge.open--;
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

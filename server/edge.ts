// One edge: the HTTP server that answers the hot read paths itself (server/routes.ts) and hands
// everything else to the Next.js workers. The server process runs one in itself and, with
// WHEELHOUSE_WORKERS above 1, more in processes of their own (server/edge-worker.ts); each gets
// its connections from the server process's listener (server/connections.ts), never a port.
import http from "node:http";
import { config } from "@/lib/config";
import { CLIENT_IP_HEADER, REQUEST_TARGET_HEADER } from "@/lib/http/client-ip";
import { requestProblem } from "@/lib/http/request-target";
import { withSecurityHeaders } from "@/lib/http/security-headers";
import { readFormBody } from "@/lib/http/form-body";
import { isDatabaseUnavailable, sendUnavailable } from "@/lib/db/availability";
import { nextProxy, type NextAddress } from "./backend";
import { edgeRoute } from "./routes";
import { clientAddress } from "./client-address";
import { enforceBodyRate, SERVER_OPTIONS } from "./limits";

export interface Edge {
  /** Serves a connection the listener accepted; `closed` is called when it closes. */
  adopt(socket: import("node:net").Socket, closed: () => void): void;
  /** Stops taking requests, lets those being answered finish (up to 5 s), then closes every connection. */
  drain(): Promise<void>;
}

/** `edges`: how many edge processes share the Next.js workers at `next`. */
export function startEdge(next: NextAddress[], edges: number): Edge {
  const cfg = config();
  const toWorker = nextProxy(next, edges);
  // Whatever Next answers carries the security headers, with a fresh script nonce each time.
  const proxy = withSecurityHeaders(toWorker.proxy);

  // Multipart bodies are checked before Next parses them (lib/http/form-body.ts); uploads parse their own.
  const toNext = async (req: http.IncomingMessage, res: http.ServerResponse, pathname: string) => {
    const form = pathname === "/legacy/" || pathname === "/legacy" ? null : await readFormBody(req);
    if (form && !form.ok)
      return void res
        .writeHead(form.status, { "content-type": "text/plain; charset=utf-8", connection: "close" })
        .end(`${form.message}\n`);
    return proxy(req, res, false, form?.body);
  };

  let inFlight = 0;
  const server = http.createServer(SERVER_OPTIONS, (req, res) => {
    inFlight++;
    res.once("close", () => inFlight--);
    enforceBodyRate(req, res);
    req.headers[CLIENT_IP_HEADER] = clientAddress(req, cfg.TRUST_PROXY);
    req.headers[REQUEST_TARGET_HEADER] = req.url ?? "/";
    // Refused here, before any route (fast path or Next) decodes it or a query carries it to PostgreSQL.
    const malformed = requestProblem(req.url ?? "/", req.headers);
    if (malformed)
      return void res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end(`${malformed}\n`);
    const url = req.url ?? "/";
    const pathname = url.split("?")[0]!;
    // The hot read paths are answered here (each may still pass a request on); everything else is Next's.
    const fast = edgeRoute(pathname)?.serve({ req, res, url, pathname, next: proxy });
    (fast ? fast.then((served) => (served ? null : toNext(req, res, pathname))) : toNext(req, res, pathname)).catch(
      (err: unknown) => {
        if (isDatabaseUnavailable(err)) return sendUnavailable(res);
        console.error("wheelhouse: request failed:", err);
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end("Internal server error");
      },
    );
  });
  // The server never listens itself: this starts its header deadlines and idle checks, which Node
  // starts on "listening" (http.Server's connection tracking).
  server.emit("listening");

  return {
    adopt(socket, closed) {
      socket.once("close", closed);
      server.emit("connection", socket);
      // Accepted paused (server/connections.ts), so that no byte is read before the socket is here.
      socket.resume();
    },
    async drain() {
      server.close();
      server.closeIdleConnections();
      for (let waited = 0; inFlight > 0 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      server.closeAllConnections();
      toWorker.close();
    },
  };
}

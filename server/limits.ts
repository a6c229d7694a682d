// What keeps slow or greedy clients from starving everyone else: a deadline for a request's
// headers, a minimum rate for its body, and a cap on connections per address (applied by the
// listener, server/connections.ts). None of them limits total time: a 100 MB upload on a slow but
// working link takes as long as it takes.
import type http from "node:http";

/** A request's headers must have arrived this long after its first byte (Node checks every second). */
export const SERVER_OPTIONS: http.ServerOptions = {
  headersTimeout: 10_000,
  requestTimeout: 0, // no total deadline: bodies are judged by their rate (below)
  connectionsCheckingInterval: 1_000,
  keepAliveTimeout: 65_000,
};

/** A body that brings fewer bytes than this in a window (about 270 bytes/s) is from a stalled or hostile client. */
const BODY_WINDOW_MS = 15_000;
const BODY_MIN_BYTES = 4 * 1024;

/** Watches a request's body while it arrives; a body that trickles is answered 408 and its connection closed. */
export function enforceBodyRate(req: http.IncomingMessage, res: http.ServerResponse): void {
  const length = req.headers["content-length"];
  if (req.complete || ((length === undefined || length === "0") && req.headers["transfer-encoding"] === undefined))
    return;
  const socket = req.socket;
  let last = socket.bytesRead;
  const timer = setInterval(() => {
    const read = socket.bytesRead;
    // Paused by backpressure (the app is slower than the client): not the client's fault.
    if (req.readableFlowing === false || read - last >= BODY_MIN_BYTES) {
      last = read;
      return;
    }
    clearInterval(timer);
    if (!res.headersSent) {
      res.writeHead(408, { "content-type": "text/plain; charset=utf-8", connection: "close" });
      res.end(`The request body arrived too slowly (under ${BODY_MIN_BYTES} bytes in ${BODY_WINDOW_MS / 1000} s).\n`);
    }
    socket.destroySoon();
    setTimeout(() => socket.destroy(), 1_000).unref();
  }, BODY_WINDOW_MS);
  timer.unref();
  const stop = () => clearInterval(timer);
  req.once("end", stop);
  req.once("close", stop);
}

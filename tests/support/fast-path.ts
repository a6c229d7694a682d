// The edge's fast paths (server/fast/*) tested as server/main.ts runs them: behind a real HTTP server,
// asked over real sockets, their answers read as sent (a gzipped body stays gzipped, so its bytes and
// its Content-Length can be checked).
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fast path (resolves false to leave the request to Next, which answers 404 here) or any plain
 * request handler (returns nothing), e.g. a stand-in for the Next.js worker.
 */
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean> | void;

export interface FastPathServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  port: number;
  /** Stops the server, ending the connections still open (a response that never ends among them). */
  close(): Promise<void>;
}

/** Serves `handle` on a free port of 127.0.0.1; a handler that throws answers 500 with its message. */
export async function serveFastPath(handle: Handler): Promise<FastPathServer> {
  const server = http.createServer((req, res) => {
    void handle(req, res)?.then(
      (served) => served || res.writeHead(404).end("not a fast path\n"),
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** As sent: not decompressed, empty for HEAD and 304. */
  body: Buffer;
}

/**
 * One request on a connection of its own (no keep-alive: nothing is left open for the server's
 * close to wait for), sending only the headers given, unlike fetch, which adds Accept-Encoding.
 */
export function rawRequest(
  url: string,
  { method = "GET", headers = {} }: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    http
      .request(url, { method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      })
      .on("error", reject)
      .end();
  });
}

/**
 * Answers as Next answers a page, for a stand-in of its render: `content` in an HTML page with one
 * inline script under the render's nonce (a project page is kept only with its scripts allowed by
 * hash), the headers set one by one as Next does (the cache reads them back with getHeader).
 * Returns the body sent, which the edge's render callback resolves with.
 */
export function answerAsNext(res: http.ServerResponse, content: string): Buffer {
  const body = Buffer.from(`<!doctype html><html><body>${content}<script nonce="n0nce">void 0</script></body></html>`);
  res.statusCode = 200;
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.setHeader("content-security-policy", "script-src 'nonce-n0nce'");
  res.end(body);
  return body;
}

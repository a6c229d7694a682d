// The parent's side of the Next.js worker (server/next-worker.ts): starting it, and passing it
// the requests the fast paths leave, streamed both ways (uploads of hundreds of MB included).
import http from "node:http";
import crypto from "node:crypto";
import path from "node:path";
import { fork, type ChildProcess } from "node:child_process";
import { childEnv } from "@/lib/config";
import { databaseAnswers, RETRY_AFTER_SECONDS, sendUnavailable } from "@/lib/db/availability";

export const BACKEND_TOKEN_HEADER = "x-wheelhouse-backend";

/** What the worker learns from its parent before it starts Next. */
export interface WorkerSettings {
  token: string;
  host: string;
  port: number;
}

/**
 * The Next.js worker's heap limit: far below V8's default, with room for WORKER_CONCURRENCY pages
 * rendered at once (384 MB ran out under `npm run bench`'s mixed load with 256 requests inside).
 */
const WORKER_HEAP_MB = 512;
/** The worker's young generation: each of its two semi-spaces. */
const WORKER_SEMI_SPACE_MB = 32;
/**
 * Page requests inside each worker at once, from all edge processes together (each gets its share);
 * more wait in the edge, at the cost of a socket. A request holds its place until the worker has
 * finished it, also when its client has left: the worker cannot stop a render half-way, and freeing
 * the place early let renders nobody waits for pile up inside (550 at once under the bench's mixed
 * load, whose clients give up after 2 s), growing the worker's heap by hundreds of MB that it never
 * gave back to the system. Renders are CPU work on a few cores, so more than a few at once only
 * share the cores and hold more memory each: under the bench's mixed load, 64 inside grew the
 * worker to 650 MB and more; 16 keep it near 330 MB at the same rate.
 */
const WORKER_CONCURRENCY = 16;

// Hop-by-hop headers describe one connection, not the message: never forwarded either way.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "expect",
]);

/** A page a browser navigated to, rendered as HTML: worth showing as it is, even when it is an error page. */
function isPageForBrowser(req: http.IncomingMessage, answer: http.IncomingMessage): boolean {
  return /\btext\/html\b/.test(req.headers.accept ?? "") && /^text\/html\b/.test(answer.headers["content-type"] ?? "");
}

/** Where the worker listens, and the token it wants: what an edge process needs to reach it. */
export interface NextAddress {
  port: number;
  token: string;
}

export interface Backend {
  child: ChildProcess;
  address: NextAddress;
  stop(): Promise<void>;
}

/**
 * Hands the request to Next; resolves once the response is complete or abandoned, with the body
 * sent when `keepBody` asks for it and the response completed (else null).
 */
export type NextProxy = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  keepBody?: boolean,
  body?: Buffer,
) => Promise<Buffer | null>;

/** `publicAddress` is where the server listens: Next fetches a server action's redirect target there. */
export async function startNextWorker(publicAddress: { host: string; port: number }): Promise<Backend> {
  const token = crypto.randomBytes(32).toString("base64url");
  // Built beside this file (scripts/build-server.mjs). Its environment carries what start-up settled
  // (the database, the secrets); the token and address are the answer to its first message.
  const child = fork(path.join(import.meta.dirname, "next-worker.js"), {
    env: childEnv(),
    stdio: "inherit",
    // V8 sizes its heap from the machine's memory (4 GB here) and grows it lazily: under load Next's
    // heap grew by a gigabyte it never gave back. Bounded, it collects instead. The young generation
    // is where a render's garbage dies: with 4 MB semi-spaces a render's objects outlived the
    // scavenges that came while it was in flight and were copied and promoted, and garbage
    // collection took 15 % of a project page's render; with 32 MB, 11 % (README, "Where the time of
    // a rendered page goes"), for ~60 MB more resident memory.
    execArgv: [
      ...process.execArgv,
      `--max-old-space-size=${WORKER_HEAP_MB}`,
      `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`,
    ],
  });
  const port = await new Promise<number>((resolve, reject) => {
    // Asked for, not sent at once: a message that arrives before the worker listens would be lost.
    child.on("message", (m: { settings?: true; port?: number }) => {
      if (m.settings)
        child.send({ token, host: publicAddress.host, port: publicAddress.port } satisfies WorkerSettings);
      else if (m.port) resolve(m.port);
      else reject(new Error("unexpected message from the Next.js worker"));
    });
    child.once("exit", (code) => reject(new Error(`the Next.js worker exited during start-up (code ${code})`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    // Its requests came through this process and are over: a worker that lingers is killed.
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, address: { port, token }, stop };
}

/**
 * The proxy of one edge process (of `edges`) to the Next.js workers at `workers`, with its share of
 * each worker's concurrency; `close` drops its idle connections. Each request goes to the worker
 * this edge has the fewest requests inside (the next in turn among equals): a render is CPU work,
 * so the least busy worker is the one whose core has time.
 */
export function nextProxy(workers: NextAddress[], edges: number): { proxy: NextProxy; close(): void } {
  // Requests with a body hold their connection to the worker for as long as the client takes to
  // send it: they get connections of their own, so slow uploads never queue the pages behind them.
  const upstreams = workers.map(({ port, token }) => ({
    port,
    token,
    agent: new http.Agent({ keepAlive: true, maxSockets: Math.ceil(WORKER_CONCURRENCY / edges) }),
    bodyAgent: new http.Agent({ keepAlive: true, maxSockets: 256 }),
    inside: 0,
  }));
  let turn = 0;
  const leastBusy = () => {
    let best = upstreams[turn++ % upstreams.length]!;
    for (const u of upstreams) if (u.inside < best.inside) best = u;
    return best;
  };
  const hasBody = (req: http.IncomingMessage) =>
    req.headers["transfer-encoding"] !== undefined ||
    (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0");

  // `body`: the request's body when the caller has already read it (lib/http/form-body.ts).
  const forward = (
    { port, token, agent, bodyAgent }: (typeof upstreams)[number],
    req: http.IncomingMessage,
    res: http.ServerResponse,
    keepBody = false,
    body?: Buffer,
  ) =>
    new Promise<Buffer | null>((resolve) => {
      const chunks: Buffer[] = [];
      const headers: http.OutgoingHttpHeaders = { [BACKEND_TOKEN_HEADER]: token };
      for (const [name, value] of Object.entries(req.headers))
        if (!HOP_BY_HOP.has(name) && name !== BACKEND_TOKEN_HEADER) headers[name] = value;
      const upstream = http.request(
        {
          host: "127.0.0.1",
          port,
          method: req.method,
          path: req.url,
          headers,
          agent: hasBody(req) ? bodyAgent : agent,
        },
        async (answer) => {
          // Pages, actions and route handlers fail with a 500 when the database does not answer in
          // time (every pool's wait is bounded): that is a 503 to retry, told here in one place.
          const unavailable = answer.statusCode === 500 && !(await databaseAnswers());
          if (unavailable && !isPageForBrowser(req, answer)) {
            answer.resume();
            return sendUnavailable(res);
          }
          // Already answered here (a body that arrived too slowly, server/limits.ts) or gone.
          if (res.headersSent || res.destroyed) return answer.resume();
          // Set one by one (not as writeHead's argument) so the response's headers stay readable.
          for (const [name, value] of Object.entries(answer.headers))
            if (!HOP_BY_HOP.has(name) && value !== undefined) res.setHeader(name, value);
          if (unavailable) {
            // A browser keeps the styled error page Next rendered (app/error.tsx), as the same 503.
            res.setHeader("retry-after", String(RETRY_AFTER_SECONDS));
            res.setHeader("cache-control", "no-store");
            res.writeHead(503);
          }
          // The reason phrase carries upload errors to twine: it must survive the hop.
          else res.writeHead(answer.statusCode ?? 502, answer.statusMessage);
          if (keepBody) answer.on("data", (chunk: Buffer) => chunks.push(chunk));
          answer.pipe(res);
          // The client left mid-answer: the rest is read and dropped, so the worker's connection
          // (its place among WORKER_CONCURRENCY) comes back when the worker is done, not before.
          res.once("close", () => {
            if (res.writableFinished) return;
            answer.unpipe(res);
            answer.resume();
          });
        },
      );
      let clientGone = false;
      upstream.on("error", (err) => {
        // Destroyed below because the client went away (a cancelled prefetch, say): nothing to report.
        if (clientGone) return resolve(null);
        if (!res.headersSent) {
          console.error(`wheelhouse: the Next.js worker did not answer ${req.method} ${req.url}: ${err.message}`);
          res.writeHead(502, { "content-type": "text/plain" }).end("Bad gateway\n");
        } else res.destroy();
        resolve(null);
      });
      res.once("close", () => {
        if (!res.writableFinished) {
          clientGone = true;
          // Still waiting here for a place, or carrying a body (which must not be finished
          // upstream): dropped. A page request already inside runs to its end (WORKER_CONCURRENCY).
          if (!upstream.socket || hasBody(req)) upstream.destroy();
        }
        resolve(keepBody && res.writableFinished ? Buffer.concat(chunks) : null);
      });
      // A body cut off (the client left, or server/limits.ts closed it) is never finished upstream.
      req.once("close", () => {
        if (!req.complete) {
          clientGone = true;
          upstream.destroy();
        }
      });
      if (body) upstream.end(body);
      else req.pipe(upstream);
    });

  const proxy: NextProxy = (req, res, keepBody, body) => {
    const worker = leastBusy();
    worker.inside++;
    // A promise settles once: the count comes down exactly once, however the request ended.
    return forward(worker, req, res, keepBody, body).finally(() => worker.inside--);
  };

  return {
    proxy,
    close: () => {
      for (const { agent, bodyAgent } of upstreams) {
        agent.destroy();
        bodyAgent.destroy();
      }
    },
  };
}

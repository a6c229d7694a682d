// The Next.js half of a Wheelhouse process, started by server/main.ts as its child. It serves
// whatever the fast paths do not answer, on a loopback port only the parent knows, and accepts
// only requests that carry the parent's token (so the client-address header it trusts cannot come
// from anyone else). Next runs apart from the fast paths because it patches process-wide
// scheduling (setImmediate, process.nextTick) and carries a large heap: in the same process it
// slowed every cached response by about a third.
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  isDatabaseUnavailable,
  RETRY_AFTER_SECONDS,
  sendUnavailable,
  withUnavailabilityNote,
} from "@/lib/db/availability";
import { APP_ROOT } from "@/lib/runtime/app-root";
import { BACKEND_TOKEN_HEADER, type WorkerSettings } from "./backend";

async function main() {
  if (!process.send) throw new Error("server/next-worker.ts is started by server/main.ts, not directly.");
  const settings = new Promise<WorkerSettings>((resolve) => process.once("message", resolve));
  process.send({ settings: true });
  const { token, host, port } = await settings;
  const { default: next } = await import("next");
  // Next renders a server action's redirect target in the same response by fetching it from the
  // server's public address (the parent, which passes the request back here).
  const app = next({ dev: false, dir: APP_ROOT, hostname: host, port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((req, res) => {
    if (req.headers[BACKEND_TOKEN_HEADER] !== token) {
      res.writeHead(403, { "content-type": "text/plain" }).end("Forbidden\n");
      return;
    }
    delete req.headers[BACKEND_TOKEN_HEADER];
    withUnavailabilityNote((note) => {
      // Next answers 500 whatever failed; a failure the database caused is a 503 to retry.
      const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => http.ServerResponse;
      res.writeHead = ((status: number, ...rest: unknown[]) => {
        if (status !== 500 || !note.unavailable) return writeHead(status, ...rest);
        res.setHeader("retry-after", String(RETRY_AFTER_SECONDS));
        return writeHead(503, ...rest.filter((r) => typeof r !== "string"));
      }) as typeof res.writeHead;
      handle(req, res).catch((err: unknown) => {
        if (isDatabaseUnavailable(err)) return sendUnavailable(res);
        console.error("wheelhouse: request failed:", err);
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end("Internal server error");
      });
    });
  });
  // Only the parent connects, through a keep-alive pool: idle connections must never be closed
  // from this side (a request could be racing into one), and the parent enforces client timeouts.
  server.keepAliveTimeout = 0;
  server.requestTimeout = 0;
  server.listen(0, "127.0.0.1", () => process.send!({ port: (server.address() as AddressInfo).port }));

  const stop = async () => {
    server.close();
    await app.close().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => {}); // the parent decides when to stop (it forwards the terminal's Ctrl-C as SIGTERM)
  // The parent is gone (killed, say), and with it every connection to this server: nothing is left
  // to finish. Exiting at once also frees the temporary files of uploads cut off with it to the
  // sweep of the next start (lib/storage/temp-files.ts).
  process.on("disconnect", () => process.exit(0));
}

main().catch((err: unknown) => {
  console.error(`wheelhouse: the Next.js worker cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

// Wheelhouse's server: prepares the runtime, answers the hot read paths itself (server/routes.ts) and hands
// everything else to the Next.js app, which runs in a child process (server/next-worker.ts) so
// that its process-wide patches and heap do not slow the fast paths. Being the process that owns
// the socket, it is the one place that can tell the client's real address to the app.

import http from "node:http";
import path from "node:path";
import fs from "node:fs";
import { config } from "@/lib/config";
import { prepareRuntime } from "@/lib/runtime/bootstrap";
import { APP_ROOT } from "@/lib/runtime/app-root";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { requestProblem } from "@/lib/http/request-target";
import { withSecurityHeaders } from "@/lib/http/security-headers";
import { readFormBody } from "@/lib/http/form-body";
import { mailOutbox } from "@/lib/email/mailer";
import { isDatabaseUnavailable, sendUnavailable } from "@/lib/db/availability";
import { blobStore } from "@/lib/storage";
import { sweepPeriodically } from "@/lib/storage/sweep";
import { startNextWorker } from "./backend";
import { edgeRoute } from "./routes";
import { clientAddress } from "./client-address";
import { capConnectionsPerAddress, enforceBodyRate, SERVER_OPTIONS } from "./limits";

async function main() {
  const cfg = config();
  if (!fs.existsSync(path.join(APP_ROOT, ".next/BUILD_ID"))) {
    throw new Error("No production build found: run `npm run build` first (or `npm run up`, which builds).");
  }
  // Without its database the server can only answer 503: stop, so a supervisor restarts it whole.
  let onDatabaseLost = (why: string): void => {
    console.error(`wheelhouse: ${why}`);
    process.exit(1);
  };
  const runtime = await prepareRuntime({ onDatabaseLost: (why) => onDatabaseLost(why) });
  console.log(
    cfg.SMTP_URL
      ? `wheelhouse: mail goes through SMTP (${new URL(cfg.SMTP_URL).host})`
      : `wheelhouse: no SMTP_URL set: mail is written as .eml files to ${mailOutbox()}`,
  );

  const backend = await startNextWorker({ host: cfg.HOST, port: cfg.PORT });
  // Whatever Next answers carries the security headers, with a fresh script nonce each time.
  const proxy = withSecurityHeaders(backend.proxy);

  // Multipart bodies are checked before Next parses them (lib/http/form-body.ts); uploads parse their own.
  const toNext = async (req: http.IncomingMessage, res: http.ServerResponse, pathname: string) => {
    const form = pathname === "/legacy/" || pathname === "/legacy" ? null : await readFormBody(req);
    if (form && !form.ok) return void res.writeHead(form.status, { "content-type": "text/plain; charset=utf-8", connection: "close" }).end(`${form.message}\n`);
    return proxy(req, res, false, form?.body);
  };

  let inFlight = 0;
  const server = http.createServer(SERVER_OPTIONS, (req, res) => {
    inFlight++;
    res.once("close", () => inFlight--);
    enforceBodyRate(req, res);
    req.headers[CLIENT_IP_HEADER] = clientAddress(req, cfg.TRUST_PROXY);
    // Refused here, before any route (fast path or Next) decodes it or a query carries it to PostgreSQL.
    const malformed = requestProblem(req.url ?? "/", req.headers);
    if (malformed) return void res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end(`${malformed}\n`);
    const url = req.url ?? "/";
    const pathname = url.split("?")[0]!;
    // The hot read paths are answered here (each may still pass a request on); everything else is Next's.
    const fast = edgeRoute(pathname)?.serve({ req, res, url, pathname, next: proxy });
    (fast ? fast.then((served) => (served ? null : toNext(req, res, pathname))) : toNext(req, res, pathname)).catch((err: unknown) => {
      if (isDatabaseUnavailable(err)) return sendUnavailable(res);
      console.error("wheelhouse: request failed:", err);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal server error");
    });
  });
  if (!cfg.TRUST_PROXY) capConnectionsPerAddress(server, cfg.WHEELHOUSE_MAX_CONNECTIONS_PER_IP);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(cfg.PORT, cfg.HOST, resolve);
  });
  console.log(`wheelhouse: serving on ${cfg.baseUrl} (listening on ${cfg.HOST}:${cfg.PORT})`);
  // What killed processes left behind: abandoned uploads, stored files whose rows never committed.
  const stopSweeping = sweepPeriodically(blobStore(), runtime.databaseUrl);

  let stopping = false;
  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    console.log(`wheelhouse: ${signal}: shutting down`);
    stopSweeping();
    server.close();
    server.closeIdleConnections();
    // Requests already being answered finish (up to 5 s) before their database goes away.
    for (let waited = 0; inFlight > 0 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    server.closeAllConnections();
    await backend.stop();
    await runtime.stop();
    process.exit(exitCode);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  onDatabaseLost = (why) => {
    console.error(`wheelhouse: ${why}`);
    void shutdown("database lost", 1);
  };
  backend.child.once("exit", (code, signal) => {
    if (stopping) return;
    // Without its app the server cannot answer most requests: stop, so a supervisor restarts it whole.
    console.error(`wheelhouse: the Next.js worker exited (code ${code}, signal ${signal}); stopping`);
    void shutdown("worker exit", 1);
  });
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(`wheelhouse: cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

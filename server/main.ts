// Wheelhouse's server: prepares the runtime, answers the hot read paths itself (server/routes.ts) and hands
// everything else to the Next.js app, which runs in a child process (server/next-worker.ts) so
// that its process-wide patches and heap do not slow the fast paths. Being the process that owns
// the socket, it is the one place that can tell the client's real address to the app.
// With WHEELHOUSE_WORKERS = N above 1, N - 1 edge processes (server/edge-worker.ts) answer the fast
// paths beside this one, each on its own core; this process alone owns the listener, the embedded
// database, the Next.js worker, the storage sweep and the mail delivery loop (server/connections.ts
// hands out connections).

import path from "node:path";
import fs from "node:fs";
import { fork, type ChildProcess } from "node:child_process";
import { childEnv, config } from "@/lib/config";
import { prepareRuntime } from "@/lib/runtime/bootstrap";
import { APP_ROOT } from "@/lib/runtime/app-root";
import { mailDirectory } from "@/lib/email/mailer";
import { deliverPeriodically } from "@/lib/email/outbox";
import { blobStore } from "@/lib/storage";
import { sweepPeriodically } from "@/lib/storage/sweep";
import { startNextWorker } from "./backend";
import { startEdge } from "./edge";
import { listen, localEdge, remoteEdge, type EdgeHandle } from "./connections";
import type { EdgeSettings } from "./edge-worker";

/** Starts an edge process and resolves once it takes connections. */
async function startEdgeProcess(settings: EdgeSettings): Promise<ChildProcess> {
  // Built beside this file (scripts/build-server.mjs); its environment carries what start-up settled.
  const child = fork(path.join(import.meta.dirname, "edge-worker.js"), { env: childEnv(), stdio: "inherit" });
  await new Promise<void>((resolve, reject) => {
    child.on("message", (m: { settings?: true; ready?: true }) => {
      if (m.settings) child.send(settings);
      else if (m.ready) resolve();
    });
    child.once("exit", (code) => reject(new Error(`an edge process exited during start-up (code ${code})`)));
  });
  return child;
}

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
      : `wheelhouse: no SMTP_URL set: mail is written as .eml files to ${mailDirectory()}`,
  );

  const backends = await Promise.all(
    Array.from({ length: cfg.WHEELHOUSE_NEXT_WORKERS }, () => startNextWorker({ host: cfg.HOST, port: cfg.PORT })),
  );
  const workers = backends.map((b) => b.address);
  const edges = cfg.WHEELHOUSE_WORKERS;
  const settings: EdgeSettings = { next: workers, edges };
  const edge = startEdge(workers, edges);
  const children = await Promise.all(Array.from({ length: edges - 1 }, () => startEdgeProcess(settings)));
  const handles: EdgeHandle[] = [localEdge(edge), ...children.map(remoteEdge)];
  // Behind a trusted proxy every connection comes from the proxy, which must cap them itself.
  const server = await listen(cfg.PORT, cfg.HOST, handles, cfg.TRUST_PROXY ? 0 : cfg.WHEELHOUSE_MAX_CONNECTIONS_PER_IP);
  console.log(
    `wheelhouse: serving on ${cfg.baseUrl} ` +
      `(listening on ${cfg.HOST}:${cfg.PORT}, ${edges} edge process${edges > 1 ? "es" : ""}, ` +
      `${workers.length} Next.js worker${workers.length > 1 ? "s" : ""})`,
  );
  // What killed processes left behind: abandoned uploads, stored files whose rows never committed.
  const stopSweeping = sweepPeriodically(blobStore(), runtime.databaseUrl);
  // Mail whose first attempt failed (the mail server was down) or never ran (its process died):
  // every server process retries what is due, so mail goes out while any one of them runs.
  const stopMail = deliverPeriodically();

  let stopping = false;
  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    console.log(`wheelhouse: ${signal}: shutting down`);
    stopSweeping();
    stopMail();
    server.close();
    // Requests already being answered, in every edge, finish (up to 5 s) before their database goes away.
    const exited = children.map(
      (child) =>
        new Promise((resolve) =>
          child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("exit", resolve),
        ),
    );
    for (const child of children) if (child.connected) child.send({ stop: true });
    await Promise.all([edge.drain(), ...exited]);
    await Promise.all(backends.map((b) => b.stop()));
    await runtime.stop();
    process.exit(exitCode);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  onDatabaseLost = (why) => {
    console.error(`wheelhouse: ${why}`);
    void shutdown("database lost", 1);
  };
  // Without its app, or one of its edges, the server cannot answer as it should: stop, so a
  // supervisor restarts it whole.
  for (const { child } of backends) {
    child.once("exit", (code, signal) => {
      if (stopping) return;
      console.error(`wheelhouse: a Next.js worker exited (code ${code}, signal ${signal}); stopping`);
      void shutdown("worker exit", 1);
    });
  }
  for (const child of children) {
    child.once("exit", (code, signal) => {
      if (stopping) return;
      console.error(`wheelhouse: an edge process exited (code ${code}, signal ${signal}); stopping`);
      void shutdown("edge exit", 1);
    });
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(`wheelhouse: cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

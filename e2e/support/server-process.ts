// Wheelhouse processes a spec starts itself, on its own port and data directory (and so its own
// embedded PostgreSQL), for what the shared server must not suffer: kills, a paused or killed
// database, floods of slow clients.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "@playwright/test";
import { ADMIN_ENTRY, ROOT, SERVER_ENTRY, serverEnv } from "./env";

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) once the process exits. */
  exited: Promise<number | null>;
}

/** The environment of a private server: `name` picks its data directory under `.data/`. */
export function privateEnv(
  name: string,
  port: number,
  pgPort: number,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    ...serverEnv(),
    PORT: String(port),
    WHEELHOUSE_DATA_DIR: dataDir(name),
    EMBEDDED_PG_PORT: String(pgPort),
    SMTP_URL: "", // mail goes to .eml files in the data directory
    // Kills, shutdowns and connection caps are checked with edge processes beside the server's own.
    WHEELHOUSE_WORKERS: "2",
    ...extra,
  };
}

export const dataDir = (name: string) => path.join(ROOT, ".data", `e2e-${name}`);

/** Starts the compiled server and waits until it serves; fails with its output if it exits first. */
export async function startServer(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, [SERVER_ENTRY], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve((exitCode = code))));
  const url = `http://127.0.0.1:${env.PORT}`;
  await expect
    .poll(
      async () => {
        if (exitCode !== undefined) throw new Error(`the server exited (${exitCode}):\n${output}`);
        return (await fetch(`${url}/help`).catch(() => null))?.status ?? 0;
      },
      { timeout: 90_000 },
    )
    .toBe(200);
  return { child, url, output: () => output, exited };
}

/** The admin command line against a private server's data directory. */
export async function adminOf(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [ADMIN_ENTRY, ...args], { cwd: ROOT, env });
  return stdout;
}

/** The pid of the embedded PostgreSQL's postmaster in a data directory, if it runs. */
export function postmasterPid(dir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** The postmaster and its backends: what "the database" is to `kill -STOP`. */
export async function postgresProcesses(dir: string): Promise<number[]> {
  const pid = postmasterPid(dir);
  if (!pid) return [];
  const { stdout } = await promisify(execFile)("pgrep", ["-P", String(pid)]).catch(() => ({ stdout: "" }));
  return [pid, ...stdout.split("\n").filter(Boolean).map(Number)];
}

/** Stops a server (SIGTERM) and any embedded PostgreSQL left running in its data directory. */
export async function stopAll(server: ServerProcess | undefined, dir: string): Promise<void> {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill("SIGTERM");
    await server.exited;
  }
  const pid = postmasterPid(dir);
  if (pid) {
    for (const p of await postgresProcesses(dir)) process.kill(p, "SIGCONT");
    process.kill(pid, "SIGINT");
    await expect.poll(() => postmasterPid(dir), { timeout: 30_000 }).toBeNull();
  }
}

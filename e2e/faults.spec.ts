// Faults an operator can inflict (issue 9): a server killed mid-upload, a paused database, a killed
// database (embedded and external), floods of slow clients. Each test runs a Wheelhouse of its own,
// on its own port and data directory, so the shared server never suffers them.
import crypto from "node:crypto";
import fs from "node:fs";
import { execFile } from "node:child_process";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { test, expect } from "./support/test";
import { E2E } from "./support/env";
import {
  adminOf,
  dataDir,
  postgresProcesses,
  postmasterPid,
  privateEnv,
  startServer,
  stopAll,
  type ServerProcess,
} from "./support/server-process";
import { makeWheel, rawUpload } from "./support/uploads";
import { startEmbeddedPostgres } from "../lib/db/embedded";

test.describe.configure({ mode: "serial" });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const HOUR = 60 * 60 * 1000;

/** The multipart body twine sends, cut in two around the file's bytes (which the caller streams). */
function uploadForm(name: string, version: string, filename: string) {
  const boundary = `wheelhouse-${crypto.randomBytes(8).toString("hex")}`;
  const fields: Record<string, string> = {
    ":action": "file_upload",
    protocol_version: "1",
    metadata_version: "2.1",
    name,
    version,
    filetype: "bdist_wheel",
    pyversion: "py3",
  };
  const head =
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join("") +
    `--${boundary}\r\nContent-Disposition: form-data; name="content"; filename="${filename}"\r\n` +
    "Content-Type: application/octet-stream\r\n\r\n";
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    head: Buffer.from(head),
    tail: Buffer.from(`\r\n--${boundary}--\r\n`),
  };
}

test("a server killed mid-upload or between storing and committing leaves nothing behind once restarted", async () => {
  test.setTimeout(240_000);
  const name = "faults-upload";
  const dir = dataDir(name);
  fs.rmSync(dir, { recursive: true, force: true });
  const env = privateEnv(name, E2E.port + 6, E2E.pgPort + 5, {
    WHEELHOUSE_REQUIRE_2FA: "false",
    WHEELHOUSE_MAX_UPLOAD_MB: "50",
  });
  let server: ServerProcess | undefined;
  try {
    server = await startServer(env);
    await adminOf(
      env,
      "create-user",
      "--username",
      "killed",
      "--email",
      "killed@example.test",
      "--password",
      "correct horse battery staple 42",
      "--verified",
    );
    const token = (await adminOf(env, "create-token", "--username", "killed")).trim();

    // An upload whose body stops after its first megabyte, as on a link that died.
    const form = uploadForm("wh-killed", "1.0", "wh_killed-1.0-py3-none-any.whl");
    const upload = http.request(`${server.url}/legacy/`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`__token__:${token}`).toString("base64")}`,
        "content-type": form.contentType,
        "content-length": String(form.head.length + 20 * 1024 * 1024 + form.tail.length),
      },
    });
    upload.on("error", () => {});
    upload.write(form.head);
    upload.write(crypto.randomBytes(1024 * 1024));
    const tmp = path.join(dir, "files", ".tmp");
    await expect
      .poll(() => fs.readdirSync(tmp).filter((f) => fs.statSync(path.join(tmp, f)).size > 0).length, {
        timeout: 30_000,
      })
      .toBe(1);
    server.child.kill("SIGKILL");
    await server.exited;
    upload.destroy();
    expect(fs.readdirSync(tmp)).toHaveLength(1);

    // What a kill between storing the bytes and committing the rows leaves: blobs no row refers to.
    const plant = (ageMs: number) => {
      const data = crypto.randomBytes(1024);
      const key = crypto.createHash("sha256").update(data).digest("hex");
      const file = path.join(dir, "files", key.slice(0, 2), key.slice(2, 4), key);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, data);
      const when = new Date(Date.now() - ageMs);
      fs.utimesSync(file, when, when);
      return file;
    };
    const orphan = plant(2 * HOUR);
    const young = plant(0); // maybe an upload elsewhere about to commit its rows: kept for now

    server = await startServer(env);
    await expect.poll(() => fs.readdirSync(tmp), { timeout: 30_000 }).toEqual([]);
    await expect.poll(() => fs.existsSync(orphan), { timeout: 30_000 }).toBe(false);
    expect(fs.existsSync(young)).toBe(true);
    expect(server.output()).toContain(
      "storage sweep removed 1 abandoned temporary file(s) and 1 stored file(s) no row refers to",
    );

    // And uploads work as before.
    const content = await makeWheel({ name: "wh-killed", version: "1.0" });
    const res = await rawUpload({
      token,
      name: "wh-killed",
      version: "1.0",
      filename: "wh_killed-1.0-py3-none-any.whl",
      content,
      baseUrl: server.url,
    });
    expect(res.status).toBe(200);
  } finally {
    await stopAll(server, dir);
  }
});

/** Each probe answered: a fast path, a Next route handler and a Next page, all of which read the database. */
const PROBES = ["/simple/no-such-project/", "/pypi/no-such-project/json", "/search?q=anything"];
const statuses = (base: string) =>
  Promise.all(PROBES.map(async (p) => (await fetch(`${base}${p}`, { signal: AbortSignal.timeout(60_000) })).status));

test("a paused DB is a 503 to retry, not a hang; a killed one restarts; SIGTERM still stops the server", async () => {
  test.setTimeout(240_000);
  const name = "faults-db";
  const dir = dataDir(name);
  fs.rmSync(dir, { recursive: true, force: true });
  let server: ServerProcess | undefined;
  try {
    server = await startServer(privateEnv(name, E2E.port + 7, E2E.pgPort + 6));
    const base = server.url;
    for (const status of await statuses(base)) expect(status).toBeLessThan(500);

    const paused = await postgresProcesses(dir);
    expect(paused.length).toBeGreaterThan(1);
    for (const pid of paused) process.kill(pid, "SIGSTOP");
    try {
      const answers = await Promise.all(
        PROBES.map((p) => fetch(`${base}${p}`, { signal: AbortSignal.timeout(60_000) })),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(503);
        expect(answer.headers.get("retry-after")).toMatch(/^\d+$/);
        expect(await answer.text()).toContain("cannot reach its database");
      }
    } finally {
      for (const pid of paused) process.kill(pid, "SIGCONT");
    }
    await expect.poll(async () => (await statuses(base)).every((s) => s < 500), { timeout: 30_000 }).toBe(true);

    // The postmaster killed: started again (and logged), answering 503 meanwhile, never 500.
    const seen = new Set<number>();
    process.kill(postmasterPid(dir)!, "SIGKILL");
    await expect
      .poll(
        async () => {
          const now = await statuses(base);
          now.forEach((s) => seen.add(s));
          return server!.output().includes("the embedded PostgreSQL is running again") && now.every((s) => s < 500);
        },
        { timeout: 90_000 },
      )
      .toBe(true);
    expect(server.output()).toContain("the embedded PostgreSQL exited unexpectedly (SIGKILL); restarting it");
    expect([...seen].filter((s) => s >= 500 && s !== 503)).toEqual([]);

    server.child.kill("SIGTERM");
    expect(await Promise.race([server.exited, sleep(20_000).then(() => "still running after 20 s")])).toBe(0);
  } finally {
    await stopAll(server, dir);
  }
});

test("with an external database: 503 while it is gone, then it recovers by itself", async () => {
  test.setTimeout(240_000);
  const name = "faults-external";
  const dir = dataDir(name);
  const pgDir = dataDir(`${name}-pg`);
  for (const d of [dir, pgDir]) fs.rmSync(d, { recursive: true, force: true });
  let database = await startEmbeddedPostgres(pgDir, E2E.pgPort + 7);
  let server: ServerProcess | undefined;
  try {
    server = await startServer(privateEnv(name, E2E.port + 8, E2E.pgPort + 8, { DATABASE_URL: database.url }));
    const base = server.url;
    for (const status of await statuses(base)) expect(status).toBeLessThan(500);

    await database.stop();
    for (const status of await statuses(base)) expect(status).toBe(503);
    for (const status of await statuses(base)) expect(status).toBe(503);

    database = await startEmbeddedPostgres(pgDir, E2E.pgPort + 7);
    await expect.poll(async () => (await statuses(base)).every((s) => s < 500), { timeout: 30_000 }).toBe(true);
  } finally {
    await stopAll(server, dir);
    await database.stop();
  }
});

/**
 * A raw connection from `localAddress` (any 127.x.y.z reaches the loopback) that sends `start`, then one
 * byte a second.
 */
function trickle(port: number, localAddress: string, start: string, byte: string) {
  const socket = net.connect({ host: "127.0.0.1", port, localAddress });
  let answer = "";
  socket.on("error", () => {});
  socket.on("data", (chunk: Buffer) => (answer += chunk.toString()));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.once("connect", () => socket.write(start));
  const timer = setInterval(() => socket.writable && socket.write(byte), 1000);
  void closed.then(() => clearInterval(timer));
  return { socket, closed, answer: () => answer, stop: () => (clearInterval(timer), socket.destroy()) };
}

test("slow clients are cut off and capped per address, and pages stay answered meanwhile", async () => {
  test.setTimeout(240_000);
  const name = "faults-slow";
  const dir = dataDir(name);
  fs.rmSync(dir, { recursive: true, force: true });
  const port = E2E.port + 9;
  let server: ServerProcess | undefined;
  const clients: ReturnType<typeof trickle>[] = [];
  try {
    server = await startServer(privateEnv(name, port, E2E.pgPort + 9, { WHEELHOUSE_MAX_CONNECTIONS_PER_IP: "10" }));
    // 40 upload bodies at a byte a second, from four addresses (ten each: their cap), and ten
    // requests whose headers never end, from a fifth.
    const uploads = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"].flatMap((address) =>
      Array.from({ length: 10 }, () =>
        trickle(
          port,
          address,
          "POST /legacy/ HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n" +
            "Content-Length: 1000000\r\n\r\n--b",
          "x",
        ),
      ),
    );
    const headers = Array.from({ length: 10 }, () =>
      trickle(port, "127.0.0.6", "GET /account/login HTTP/1.1\r\nHost: x\r\nX-Slow: ", "y"),
    );
    clients.push(...uploads, ...headers);
    // Over the cap: answered 503 at once.
    const extra = trickle(port, "127.0.0.2", "", "");
    clients.push(extra);
    await extra.closed;
    expect(extra.answer()).toMatch(/^HTTP\/1\.1 503 /);

    // Pages served by Next (a route handler and a page) are answered while all that goes on.
    for (const page of ["/pypi/no-such-project/json", "/account/login", "/search?q=x"]) {
      const res = await fetch(`${server.url}${page}`, { signal: AbortSignal.timeout(30_000) });
      expect(res.status, page).toBeLessThan(500);
    }

    // Headers that never end are cut off after their deadline; trickling bodies once too slow.
    const within = (ms: number, what: Promise<unknown>) =>
      Promise.race([what.then(() => "closed"), sleep(ms).then(() => "still open")]);
    expect(await within(60_000, Promise.all(headers.map((h) => h.closed)))).toBe("closed");
    expect(await within(90_000, Promise.all(uploads.map((u) => u.closed)))).toBe("closed");
    expect(uploads.filter((u) => /^HTTP\/1\.1 (408|401|403) /.test(u.answer())).length).toBe(uploads.length);
    // And the server serves on.
    expect((await fetch(`${server.url}/help`)).status).toBe(200);
  } finally {
    for (const c of clients) c.stop();
    await stopAll(server, dir);
  }
});

test("with two Next.js workers, pages come from both, and one that dies stops the whole server", async () => {
  test.setTimeout(180_000);
  const name = "faults-workers";
  const dir = dataDir(name);
  fs.rmSync(dir, { recursive: true, force: true });
  let server: ServerProcess | undefined;
  try {
    server = await startServer(
      privateEnv(name, E2E.port + 11, E2E.pgPort + 11, { WHEELHOUSE_WORKERS: "1", WHEELHOUSE_NEXT_WORKERS: "2" }),
    );
    expect(server.output()).toContain("1 edge process, 2 Next.js workers");
    const workers = await nextWorkers(server.child.pid!);
    expect(workers).toHaveLength(2);
    // Pages rendered at once are shared out: each worker spends CPU time on them.
    const before = workers.map(cpuTicks);
    await Promise.all(
      Array.from({ length: 40 }, async () => expect((await fetch(`${server!.url}/help`)).status).toBe(200)),
    );
    expect(workers.map((pid, i) => cpuTicks(pid) - before[i]!).every((spent) => spent > 0)).toBe(true);

    // Half the app gone would answer some requests and not others: the server stops, for a supervisor to restart it.
    process.kill(workers[0]!, "SIGKILL");
    expect(await Promise.race([server.exited, sleep(20_000).then(() => "still running after 20 s")])).toBe(1);
    expect(server.output()).toContain("a Next.js worker exited (code null, signal SIGKILL); stopping");
  } finally {
    await stopAll(server, dir);
  }
});

/** The Next.js workers a server process started. */
async function nextWorkers(serverPid: number): Promise<number[]> {
  const { stdout } = await promisify(execFile)("pgrep", ["-P", String(serverPid), "-f", "next-worker.js"]);
  return stdout.split("\n").filter(Boolean).map(Number);
}

/** CPU time a process has used, in clock ticks (utime + stime, fields 14 and 15 of /proc/<pid>/stat). */
function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

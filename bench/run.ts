// `npm run bench`: measures Wheelhouse's read and upload paths, against nginx serving the same bytes
// where there is such a thing, on this machine, and prints one table. Figures, not assertions: a
// row that fails prints its error and the bench goes on. Everything it starts or writes (server,
// nginx, a data folder under the system's temp folder) is gone when it ends, even on Ctrl-C.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import http from "node:http";
import zlib from "node:zlib";
import { once } from "node:events";
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import pg from "pg";
import { makeWheel } from "../e2e/support/uploads";
import { freshVenv, WORK as PYTHON_WORK } from "../e2e/support/python";

const ROOT = path.resolve(import.meta.dirname, "..");
const PORT = Number(process.env.BENCH_PORT ?? 3135);
const NGINX_PORT = PORT + 1;
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 25435);
const BASE = `http://127.0.0.1:${PORT}`;
const NGINX = `http://127.0.0.1:${NGINX_PORT}`;
const DURATION = process.env.BENCH_SECONDS ?? "5";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/**
 * Seconds of load, unmeasured, that each row of a server's first group gets before the rows are
 * measured. A fresh server is several times slower than a warm one while V8 compiles its code:
 * signed-in account pages, 2 workers, from a fresh start in successive 3 s runs: 32, 112, 127,
 * 141, 161, 154, 161, 176, 175, 191, then 200-220 req/s; JSON API documents 940, 2,020, then up to
 * 4,000 req/s. A short run would report that as the server's speed.
 */
const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 10);
/** Projects seeded for the scale rows (10 releases × 2 files each); 0 skips the seeding. */
const SCALE = Number(process.env.BENCH_PROJECTS ?? 100_000);
const MIXED_SECONDS = Number(process.env.BENCH_MIXED_SECONDS ?? 300);
/**
 * The scaling figure: issue 13's rows again for each `EDGESxWORKERS` pair, the server's edge
 * processes (WHEELHOUSE_WORKERS) by its Next.js workers (WHEELHOUSE_NEXT_WORKERS).
 */
const SCALING = (process.env.BENCH_SCALING ?? "1x1,1x2,2x2")
  .split(",")
  .filter(Boolean)
  .map((pair) => {
    const [edges, workers] = pair.split("x").map(Number);
    if (!Number.isInteger(edges) || !Number.isInteger(workers) || edges! < 1 || workers! < 1)
      throw new Error(`BENCH_SCALING: "${pair}" is not EDGESxWORKERS (say 1x2)`);
    return { edges: edges!, workers: workers! };
  });
const DATA = fs.mkdtempSync(path.join(os.tmpdir(), "wheelhouse-bench-"));
const STATIC = path.join(DATA, "static");

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  PORT: String(PORT),
  WHEELHOUSE_DATA_DIR: DATA,
  EMBEDDED_PG_PORT: String(PG_PORT),
  WHEELHOUSE_REQUIRE_2FA: "false",
  WHEELHOUSE_MAX_UPLOAD_MB: "300",
  WHEELHOUSE_MAX_CONNECTIONS_PER_IP: "0",
  TSX_TSCONFIG_PATH: path.join(ROOT, "tsconfig.node.json"),
};
delete env.DATABASE_URL;

// ---- Processes: every child is tracked, and stopped (with the PostgreSQL its server started) at the end.

const children = new Set<ChildProcess>();
let server: ChildProcess | undefined;
let nginx: ChildProcess | undefined;

function start(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, options);
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
}

/** A killed server cannot stop its embedded PostgreSQL: stop it by its pid file. */
function stopOrphanedPostgres(): void {
  try {
    process.kill(
      Number(fs.readFileSync(path.join(DATA, "postgres", "postmaster.pid"), "utf8").split("\n")[0]),
      "SIGTERM",
    );
  } catch {
    // No pid file (a clean stop removes it) or no such process: nothing left running.
  }
}

async function cleanUp(): Promise<void> {
  await Promise.all([...children].map(stop));
  stopOrphanedPostgres();
  fs.rmSync(DATA, { recursive: true, force: true });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

async function waitFor(url: string, process?: ChildProcess, seconds = 120): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    if (process && process.exitCode !== null)
      throw new Error(`${url}: the process exited with code ${process.exitCode}`);
    if ((await fetch(url).catch(() => null))?.ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not come up`);
}

/** (Re)starts the server on the bench's data folder, with `extra` settings (e.g. WHEELHOUSE_WORKERS). */
async function startServer(extra: Record<string, string> = {}): Promise<void> {
  if (server) await stop(server);
  // A new server would join a PostgreSQL still shutting down and lose its connections.
  for (let waited = 0; fs.existsSync(path.join(DATA, "postgres", "postmaster.pid")) && waited < 30_000; waited += 100)
    await new Promise((r) => setTimeout(r, 100));
  server = start(process.execPath, ["dist/server/main.js"], {
    cwd: ROOT,
    env: { ...env, ...extra },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitFor(`${BASE}/help`, server);
}

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const password = fs.readFileSync(path.join(DATA, "postgres-password"), "utf8").trim();
  const client = new pg.Client({
    connectionString: `postgresql://postgres:${password}@127.0.0.1:${PG_PORT}/wheelhouse`,
  });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

// ---- Resources used: memory and CPU of a process tree, from /proc.

function descendants(pid: number): number[] {
  const kids = fs
    .readdirSync(`/proc/${pid}/task`)
    .flatMap((task) =>
      fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number),
    );
  return [
    pid,
    ...kids.flatMap((kid) => {
      try {
        return descendants(kid);
      } catch {
        return [];
      }
    }),
  ];
}

/** Resident memory of a process and its children (the server runs Next.js and PostgreSQL in children), in MB. */
function rssMb(pid: number, onlyNode = false): number {
  return descendants(pid).reduce((sum, p) => {
    try {
      if (onlyNode && fs.readlinkSync(`/proc/${p}/exe`) !== process.execPath) return sum;
      return sum + Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0) / 1024;
    } catch {
      return sum; // exited between the listing and the read (a PostgreSQL backend, pip's children)
    }
  }, 0);
}

/** CPU time (user + system) of a process tree, in ms; a reaped child's time is in its parent's cutime/cstime. */
function cpuMs(pid: number): number {
  const ticks = descendants(pid).reduce((sum, p) => {
    try {
      const fields = fs.readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ");
      return sum + Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      return sum; // exited between the listing and the read
    }
  }, 0);
  return ticks * 10; // USER_HZ is 100 on Linux
}

// ---- Load: wrk, optionally walking a list of paths (each once, in order, so a crawler misses every cache).

/** `paths`: walked in order; `once`: each is meant to be asked for once (the row then reports any repeat). */
interface Load {
  url: string;
  paths?: string[];
  once?: boolean;
  headers?: string[];
  connections?: number;
  /** How long to run; BENCH_SECONDS unless said. */
  seconds?: number;
}
interface Measured {
  rps: number;
  p99ms: number;
  cpuMsPerRequest: number;
  repeated: number;
  /** How many distinct URLs the run could walk (0: one URL, not a walk). */
  distinct: number;
  failed: number;
  timeouts: number;
}

const WALK_LUA = path.join(DATA, "walk.lua");
const PATHS_FILE = path.join(DATA, "paths.txt");
fs.writeFileSync(
  WALK_LUA,
  `-- Sends the paths in BENCH_PATHS in order; past the end it starts again and counts the repeats.
local paths, i = {}, 0
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
function request()
  i = i + 1
  return wrk.format(nil, paths[(i - 1) % #paths + 1])
end
function done(summary)
  io.write(string.format("repeated %d\\n", math.max(0, summary.requests - #paths)))
end
`,
);

function wrk(load: Load): Measured {
  const args = [
    "-t1",
    `-c${load.connections ?? 16}`,
    `-d${load.seconds ?? DURATION}s`,
    "--timeout",
    "10s",
    "--latency",
    ...(load.headers ?? []).flatMap((h) => ["-H", h]),
  ];
  if (load.paths) {
    fs.writeFileSync(PATHS_FILE, `${load.paths.join("\n")}\n`);
    args.push("-s", WALK_LUA);
  }
  // CPU is counted for whichever side answers: nginx's processes or the server's (Next.js and PostgreSQL included).
  const pid = (load.url.startsWith(NGINX) ? nginx : server)!.pid!;
  const cpuBefore = cpuMs(pid);
  const out = execFileSync("wrk", [...args, load.url], {
    encoding: "utf8",
    env: { ...process.env, BENCH_PATHS: PATHS_FILE },
  });
  const cpu = cpuMs(pid) - cpuBefore;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const sockets = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p99ms: p99 ? Number(p99[1]) * (p99[2] === "us" ? 0.001 : p99[2] === "s" ? 1000 : 1) : NaN,
    cpuMsPerRequest: requests ? cpu / requests : NaN,
    repeated: load.once ? Number(/repeated (\d+)/.exec(out)?.[1] ?? 0) : 0,
    distinct: load.paths?.length ?? 0,
    failed:
      Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) +
      (sockets ? Number(sockets[1]) + Number(sockets[2]) + Number(sockets[3]) : 0),
    timeouts: Number(sockets?.[4] ?? 0),
  };
}

// ---- The table.

interface Row {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  status: string;
}
const rows: Row[] = [];
const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0]!.slice(0, 160);

/** One row measured by `measure`; its error, if any, goes into the row and the bench goes on. */
async function row(
  figure: string,
  target: string,
  // `status`, when given, says why the row is neither pass nor short (its figure does not measure
  // what the row names), instead of a verdict that would mislead.
  measure: () => Promise<{ value: string; baseline?: string; ratio?: string; ok: boolean | null; status?: string }>,
): Promise<void> {
  try {
    const { value, baseline = "-", ratio = "-", ok, status } = await measure();
    rows.push({
      figure,
      value,
      baseline,
      ratio,
      target,
      status: status ?? (ok === null ? "info" : ok ? "pass" : "short"),
    });
  } catch (err) {
    rows.push({
      figure,
      value: `error: ${message(err)}${server?.exitCode != null ? ` (server exited with code ${server.exitCode})` : ""}`,
      baseline: "-",
      ratio: "-",
      target,
      status: "error",
    });
  }
}

/**
 * A row measured with wrk. `load(round)` may give each round its own list of paths. `baseline` is
 * either measured the same way (nginx serving the same bytes, say) or a figure quoted from an issue.
 * `probe` (by default the URL the load sends, when it sends one) is fetched once first and must
 * answer 200 (and contain `contains`): wrk would count a redirect to the sign-in page as a success.
 * A server's first group is warmed up first (warmUp).
 */
interface LoadRow {
  figure: string;
  load: (round: number) => Load;
  baseline?: { label: string; load: (round: number) => Load } | string;
  target: { rps?: number; ratio?: number; p99ms?: number };
  probe?: { url: string; headers?: Record<string, string>; contains?: string };
}

/** The median of the finite values (a run in which no request finished has no CPU-ms per request). */
const medianOf = (values: number[]) => {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  return finite.length ? finite[Math.floor(finite.length / 2)]! : NaN;
};
/** fetch, and once more on a fresh connection: the pooled one may have been closed while wrk ran for minutes. */
const get = (url: string, init?: RequestInit) => fetch(url, init).catch(() => fetch(url, init));
function summary(runs: Measured[]): Measured {
  const pick = (key: keyof Measured) => medianOf(runs.map((r) => r[key]));
  return {
    rps: pick("rps"),
    p99ms: pick("p99ms"),
    cpuMsPerRequest: pick("cpuMsPerRequest"),
    repeated: Math.max(...runs.map((r) => r.repeated)),
    distinct: Math.min(...runs.map((r) => r.distinct)),
    failed: Math.max(...runs.map((r) => r.failed)),
    timeouts: Math.max(...runs.map((r) => r.timeouts)),
  };
}
const describe = (m: Measured) =>
  `${m.rps.toFixed(0)} req/s, p99 ${m.p99ms < 10 ? m.p99ms.toFixed(2) : m.p99ms.toFixed(0)} ms, ` +
  `${m.cpuMsPerRequest.toFixed(2)} CPU-ms/req`;

/**
 * Warms a freshly started server up: each row's load for WARM_SECONDS, a walk on its own warm-up
 * slice (round ROUNDS), so the measured rounds still ask each of their URLs once in the server's life.
 */
function warmUp(group: LoadRow[]): void {
  for (const r of group) {
    try {
      wrk({ ...r.load(ROUNDS), seconds: WARM_SECONDS });
    } catch (err) {
      console.error(`warming up "${r.figure}" failed (the row says why): ${message(err)}`);
    }
  }
}
/** The server whose life has had its warm-up. */
let warmed: ChildProcess | undefined;

/**
 * Measures a group of rows round by round (row 1, row 2, …, then again), each baseline run next to
 * its own, and reports the medians: this machine's speed drifts by a third from one minute to the
 * next, and alternating spreads the drift over every row instead of loading it onto one.
 */
async function measureRows(group: LoadRow[], suffix = ""): Promise<void> {
  const runs = group.map(() => ({ ours: [] as Measured[], base: [] as Measured[], error: undefined as unknown }));
  for (const [i, r] of group.entries()) {
    const load = r.load(0);
    const probe =
      r.probe ??
      (load.paths
        ? undefined
        : {
            url: load.url,
            headers: Object.fromEntries((load.headers ?? []).map((h) => h.split(": ") as [string, string])),
            contains: undefined,
          });
    if (!probe) continue;
    try {
      const res = await get(probe.url, { headers: probe.headers, redirect: "manual" });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${probe.url} answered ${res.status}`);
      if (probe.contains && !body.includes(probe.contains)) throw new Error(`${probe.url} lacks ${probe.contains}`);
    } catch (err) {
      runs[i]!.error = err;
    }
  }
  if (WARM_SECONDS && warmed !== server) {
    warmUp(group.filter((_, i) => !runs[i]!.error));
    warmed = server;
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, r] of group.entries()) {
      if (runs[i]!.error) continue;
      try {
        if (typeof r.baseline === "object") runs[i]!.base.push(wrk(r.baseline.load(round)));
        runs[i]!.ours.push(wrk(r.load(round)));
      } catch (err) {
        runs[i]!.error = err;
      }
    }
  }
  for (const [i, r] of group.entries()) {
    const { rps, ratio, p99ms } = r.target;
    const baseLabel = typeof r.baseline === "object" ? r.baseline.label : "";
    const target = [
      rps && `≥ ${rps.toLocaleString("en")} req/s`,
      ratio && `≥ ${ratio}× ${baseLabel}`,
      p99ms && `p99 ≤ ${p99ms} ms`,
    ]
      .filter(Boolean)
      .join(", ");
    await row(r.figure + suffix, target, async () => {
      if (runs[i]!.error) throw runs[i]!.error;
      const ours = summary(runs[i]!.ours);
      const base = typeof r.baseline === "object" ? summary(runs[i]!.base) : undefined;
      if (ours.failed)
        throw new Error(`${ours.failed} requests failed (non-2xx/3xx or socket errors) in a run; ${describe(ours)}`);
      // A walk that ran past its list asked some URLs twice, and those hit the caches a crawler's
      // requests would miss: the figure is flattered, so the row gets no verdict.
      const notes = [
        ours.timeouts && `${ours.timeouts} timeouts`,
        ours.repeated && `${ours.repeated} requests repeated a URL: only ${ours.distinct} distinct URLs a run`,
      ].filter(Boolean);
      const ok =
        (!rps || ours.rps >= rps) &&
        (!p99ms || (ours.p99ms <= p99ms && !ours.timeouts)) &&
        (!ratio || (!!base && ours.rps / base.rps >= ratio));
      return {
        value: describe(ours) + (notes.length ? ` (${notes.join(", ")})` : ""),
        baseline: base ? `${baseLabel} ${describe(base)}` : typeof r.baseline === "string" ? r.baseline : "-",
        ratio: base ? (ours.rps / base.rps).toFixed(2) : "-",
        ok,
        status: ours.repeated ? "repeated" : undefined,
      };
    });
  }
}

// ---- Setting up: uploads through the real upload API, the seed, a signed-in session.

async function upload(
  token: string,
  filename: string,
  content: Buffer | string,
  name: string,
  version: string,
): Promise<number> {
  const size = typeof content === "string" ? fs.statSync(content).size : content.length;
  const boundary = `----bench${crypto.randomBytes(8).toString("hex")}`;
  const sha = crypto.createHash("sha256").update(typeof content === "string" ? fs.readFileSync(content) : content);
  const fields = {
    ":action": "file_upload",
    protocol_version: "1",
    name,
    version,
    filetype: "bdist_wheel",
    pyversion: "py3",
    sha256_digest: sha.digest("hex"),
  };
  const head = Buffer.from(
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join("") +
      `--${boundary}\r\nContent-Disposition: form-data; name="content"; filename="${filename}"\r\n` +
      "Content-Type: application/octet-stream\r\n\r\n",
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${BASE}/legacy/`,
      {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`__token__:${token}`).toString("base64")}`,
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": head.length + size + tail.length,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.write(head);
    if (typeof content === "string") {
      const stream = fs.createReadStream(content);
      stream.pipe(req, { end: false });
      stream.on("end", () => req.end(tail));
    } else req.end(Buffer.concat([content, tail]));
  });
}

/** A WHEEL file whose Tag lines are the ones the filename's compressed tag set expands to (uploads check it). */
function wheelFileFor(tag: string): string {
  const [pythons, abi, platform] = tag.split("-") as [string, string, string];
  const tags = pythons
    .split(".")
    .map((python) => `Tag: ${python}-${abi}-${platform}\n`)
    .join("");
  return `Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\n${tags}`;
}

/** 20 projects (3 versions each) whose latest versions form a binary dependency tree under wh-tree-0. */
const TREE = Array.from({ length: 20 }, (_, i) => ({
  name: `wh-tree-${i}`,
  requires: [2 * i + 1, 2 * i + 2].filter((c) => c < 20).map((c) => `wh-tree-${c}`),
}));

async function uploadTree(token: string): Promise<void> {
  for (const { name, requires } of TREE) {
    for (const version of ["1.0", "1.1", "2.0"]) {
      const filename = `${name.replace(/-/g, "_")}-${version}-py3-none-any.whl`;
      const status = await upload(token, filename, await makeWheel({ name, version, requires }), name, version);
      if (status !== 200) throw new Error(`tree upload ${filename}: ${status}`);
    }
  }
}

/** Copies what pip will fetch for the tree (index pages, wheels, .metadata files) into nginx's root. */
async function mirrorTree(): Promise<void> {
  const save = async (urlPath: string, file: string) => {
    const res = await fetch(`${BASE}${urlPath}`);
    if (!res.ok) throw new Error(`mirror ${urlPath}: ${res.status}`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  };
  for (const { name } of TREE) {
    const page = await (await fetch(`${BASE}/simple/${name}/`)).text();
    fs.mkdirSync(path.join(STATIC, "simple", name), { recursive: true });
    fs.writeFileSync(path.join(STATIC, "simple", name, "index.html"), page);
    for (const [, href] of page.matchAll(/href="(\/packages\/[^"#]+)/g)) {
      await save(href!, path.join(STATIC, decodeURIComponent(href!)));
      await save(`${href!}.metadata`, path.join(STATIC, `${decodeURIComponent(href!)}.metadata`));
    }
  }
}

/** Median wall time of `pip install wh-tree-0` (fresh target, no cache) from each index, alternating. */
async function timePipTree(indexes: string[], runs = 5): Promise<number[]> {
  const venvs = path.join(PYTHON_WORK, "venvs");
  const venvsBefore = new Set(fs.existsSync(venvs) ? fs.readdirSync(venvs) : []);
  const venv = await freshVenv("bench");
  const times: number[][] = indexes.map(() => []);
  try {
    for (let r = 0; r < runs; r++) {
      for (const [i, index] of indexes.entries()) {
        const target = path.join(DATA, `pip-target-${r}-${i}`);
        const started = performance.now();
        const result = await venv.pip("install", "--no-compile", "--target", target, "--index-url", index, "wh-tree-0");
        times[i]!.push(performance.now() - started);
        if (result.code !== 0) throw new Error(`pip install from ${index} failed: ${result.stderr.slice(-500)}`);
        if (fs.readdirSync(target).filter((f) => f.endsWith(".dist-info")).length !== 20)
          throw new Error(`pip from ${index} did not install 20 packages`);
      }
    }
  } finally {
    for (const dir of fs.readdirSync(venvs)) {
      if (!venvsBefore.has(dir)) fs.rmSync(path.join(venvs, dir), { recursive: true, force: true });
    }
  }
  return times.map(medianOf);
}

/**
 * Distinct searches a visitor might type, drawn from the seeded vocabulary: a word, a word's
 * prefix, two words, an exact name, a word under a classifier filter, a filter alone, other sort
 * orders, and words that match nothing.
 */
function searchQueries(
  projects: { name: string; keywords: string[]; classifiers: string[] }[],
  count: number,
): string[] {
  const queries = new Set<string>();
  const kinds: ((p: (typeof projects)[number], n: number) => Record<string, string>)[] = [
    (p) => ({ q: p.keywords[0] ?? p.name }),
    (p, n) => ({ q: p.name.split("-")[n % 2]!.slice(0, 3 + (n % 3)) }),
    (p) => ({ q: `${p.keywords[0] ?? ""} ${p.name.split("-").at(-1)}` }),
    (p) => ({ q: p.name }),
    (p, n) => ({ q: p.keywords.at(-1) ?? "", c: p.classifiers[n % Math.max(1, p.classifiers.length)] ?? "" }),
    (p, n) => ({ c: p.classifiers[n % Math.max(1, p.classifiers.length)] ?? "", o: "date" }),
    (p, n) => ({ q: p.name.split("-")[0]!, o: n % 2 ? "name" : "date" }),
    (p, n) => ({ q: `${p.keywords[0] ?? "x"}${n.toString(36)}qz` }),
  ];
  for (let n = 0; queries.size < count && n < count * 20; n++) {
    const params = new URLSearchParams(
      Object.entries(kinds[n % kinds.length]!(projects[n % projects.length]!, n)).filter(([, v]) => v),
    );
    if (params.size) queries.add(`/search?${params}`);
  }
  return [...queries].sort(() => Math.random() - 0.5);
}

/**
 * `list` cut into one slice per round and one more for the warm-up (round ROUNDS): no URL repeats
 * across the rounds of a server's life.
 */
const slices = (list: string[]) => (round: number) => {
  const size = Math.max(1, Math.floor(list.length / (ROUNDS + 1)));
  return list.slice(round * size, (round + 1) * size);
};

async function main() {
  fs.mkdirSync(STATIC, { recursive: true });
  await startServer();
  const adminRun = (...args: string[]) =>
    execFileSync(process.execPath, ["dist/scripts/admin.js", ...args], { cwd: ROOT, env, encoding: "utf8" }).trim();
  adminRun(
    "create-user",
    "--username",
    "bench",
    "--email",
    "bench@example.test",
    "--password",
    "benchmark horse battery staple",
    "--verified",
  );
  const token = adminRun("create-token", "--username", "bench");
  // Signed in as `bench`, 2FA off: the session row a password sign-in creates (lib/accounts/sessions.ts).
  const sessionToken = crypto.randomBytes(32).toString("base64url");
  await sql(
    `INSERT INTO sessions (id_hash, user_id, stage, expires_at)
     SELECT $1, id, 'full', now() + interval '1 day' FROM users WHERE username = 'bench'`,
    [crypto.createHash("sha256").update(sessionToken).digest("hex")],
  );
  const signedIn = `Cookie: wheelhouse_session=${sessionToken}`;

  // One project with 50 releases of 2 files each, a 1 MB wheel, and a 20-package dependency tree.
  console.error("uploading 50 releases × 2 files, a 1 MB wheel and a 20-package tree …");
  for (let v = 1; v <= 50; v++) {
    for (const tag of ["py3-none-any", "py2.py3-none-any"]) {
      const status = await upload(
        token,
        `wh_bench-${v}.0-${tag}.whl`,
        await makeWheel({
          name: "wh-bench",
          version: `${v}.0`,
          payload: Buffer.from(tag),
          wheelFile: wheelFileFor(tag),
        }),
        "wh-bench",
        `${v}.0`,
      );
      if (status !== 200) throw new Error(`seed upload ${v} ${tag}: ${status}`);
    }
  }
  const big = await makeWheel({ name: "wh-big", version: "1.0", payload: crypto.randomBytes(1024 * 1024) });
  if ((await upload(token, "wh_big-1.0-py3-none-any.whl", big, "wh-big", "1.0")) !== 200)
    throw new Error("big upload failed");
  const json = (await (
    await fetch(`${BASE}/simple/wh-big/`, { headers: { accept: "application/vnd.pypi.simple.v1+json" } })
  ).json()) as { files: { url: string }[] };
  const bigUrl = `${BASE}${json.files[0]!.url}`;
  await uploadTree(token);
  await mirrorTree();

  // The same bytes for nginx.
  fs.writeFileSync(
    path.join(STATIC, "page.html"),
    Buffer.from(await (await fetch(`${BASE}/simple/wh-bench/`)).arrayBuffer()),
  );
  fs.writeFileSync(
    path.join(STATIC, "page.json"),
    Buffer.from(
      await (
        await fetch(`${BASE}/simple/wh-bench/`, { headers: { accept: "application/vnd.pypi.simple.v1+json" } })
      ).arrayBuffer(),
    ),
  );
  for (const page of ["page.html", "page.json"])
    fs.writeFileSync(
      path.join(STATIC, `${page}.gz`),
      zlib.gzipSync(fs.readFileSync(path.join(STATIC, page)), { level: 6 }),
    );
  fs.writeFileSync(path.join(STATIC, "big.whl"), Buffer.from(await (await fetch(bigUrl)).arrayBuffer()));
  const conf = path.join(DATA, "nginx.conf");
  fs.writeFileSync(
    conf,
    `daemon off; worker_processes 1; pid ${DATA}/nginx.pid; error_log stderr;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000; gzip_static on;
  types { text/html html; application/json json; application/octet-stream whl; }
  server { listen 127.0.0.1:${NGINX_PORT}; root ${STATIC}; index index.html; } }
`,
  );
  nginx = start("nginx", ["-c", conf, "-p", DATA], { stdio: "ignore" });
  await waitFor(`${NGINX}/page.html`, nginx);

  // 5. The scale: seeded before issue 13's rows, which run on it.
  if (SCALE <= 0)
    await row("5. seed", "fast bulk insert", async () => ({
      value: "not seeded (BENCH_PROJECTS=0): the scale rows run on the few uploaded projects",
      ok: null,
      status: "skipped",
    }));
  else {
    console.error(`seeding ${SCALE} projects × 10 releases × 2 files …`);
    await row(
      `5. seed ${SCALE.toLocaleString("en")} projects / ${(SCALE * 10).toLocaleString("en")} releases / ` +
        `${(SCALE * 20).toLocaleString("en")} files`,
      "fast bulk insert",
      async () => {
        try {
          const out = execFileSync(
            process.execPath,
            ["--import", "tsx", "scripts/seed.ts", "--projects", String(SCALE), "--releases", "10", "--files", "2"],
            { cwd: ROOT, env, encoding: "utf8", stdio: "pipe" },
          );
          return { value: `${/in ([\d.]+ s)/.exec(out)?.[1]} in one transaction`, ok: null };
        } catch (err) {
          throw new Error(
            String((err as { stderr?: string }).stderr || err)
              .trim()
              .split("\n")
              .at(-1),
          );
        }
      },
    );
  }
  // Every project in random order, for URLs that no cache has seen, and what search will look for.
  const projects = await sql<{ name: string; keywords: string[]; classifiers: string[] }>(
    "SELECT normalized_name AS name, keywords, classifiers FROM projects ORDER BY random()",
  );
  const names = projects.map((p) => p.name);
  const searches = searchQueries(projects, 10_000 * (ROUNDS + 1) + 41);
  // Kept apart for the one-at-a-time rows at scale (5.), never asked for before them, and for warming up.
  // Without the seed (BENCH_PROJECTS=0) there are only the ~21 uploaded projects: half are kept
  // apart, so the walks still have URLs (which then repeat, and those rows say so).
  const spareNames = names.splice(-Math.min(41, Math.floor(names.length / 2)));
  const spareSearches = searches.splice(-41);
  const [warmName = "wh-bench"] = names.splice(-1);

  // Issue 13's rows; wrk sends 16 connections unless said otherwise. The project lists are cut
  // into one slice per round, so each URL is asked for once in a server's life: every request
  // misses the per-process caches, as a crawler's would.
  const gz = "Accept-Encoding: gzip";
  const asJson = "Accept: application/vnd.pypi.simple.v1+json";
  const projectUrls = slices(names.map((n) => `/project/${n}`));
  const jsonUrls = slices(names.map((n) => `/pypi/${n}/json`));
  const searchUrls = slices(searches);
  // A signed-in answer, not the sign-in page a redirect would end on (wrk counts both as a success).
  const signedInProbe = (url: string, contains: string) => ({
    url,
    headers: { cookie: signedIn.slice("Cookie: ".length) },
    contains,
  });
  const warm = (url: string) => ({ url });
  const issue13: LoadRow[] = [
    {
      // What a signed-in browser asks for: the page (the same bytes as anyone's) and, from it, the
      // header's /_includes/current-user; both count as requests.
      figure: "13. project page, signed-in visitor (one project, with its include)",
      load: () => ({ url: BASE, paths: ["/project/wh-bench", "/_includes/current-user"], headers: [signedIn] }),
      baseline: "33 req/s (issue 13)",
      target: { rps: 300, p99ms: 200 },
      probe: signedInProbe(`${BASE}/_includes/current-user`, '"username":"'),
    },
    {
      figure: "13. project page, crawler (distinct projects, each once)",
      load: (round) => ({ url: BASE, paths: projectUrls(round), once: true }),
      baseline: "43 req/s, p99 1.8 s (issue 13)",
      target: { rps: 300, p99ms: 200 },
      probe: warm(`${BASE}/project/${warmName}`),
    },
    {
      figure: "13. /search, distinct realistic queries",
      load: (round) => ({ url: BASE, paths: searchUrls(round), once: true }),
      baseline: "46 req/s, p99 0.7 s (issue 13)",
      target: { rps: 300, p99ms: 200 },
      probe: warm(`${BASE}/search?q=${warmName}`),
    },
    {
      figure: "13. /pypi/<name>/json, distinct projects, each once",
      load: (round) => ({ url: BASE, paths: jsonUrls(round), once: true }),
      baseline: "168 req/s, p99 0.28 s (issue 13)",
      target: { rps: 2000 },
      probe: warm(`${BASE}/pypi/${warmName}/json`),
    },
    {
      figure: "13. account pages, signed in (settings, security, tokens)",
      load: () => ({
        url: BASE,
        paths: ["/account/settings", "/account/security", "/account/tokens"],
        headers: [signedIn],
      }),
      baseline: "not measured (issue 13)",
      target: { rps: 200 },
      probe: signedInProbe(`${BASE}/account/security`, 'class="account-layout"'),
    },
    {
      figure: "1. /simple/<project>/ HTML (50×2 files)",
      load: () => ({ url: `${BASE}/simple/wh-bench/` }),
      baseline: { label: "nginx", load: () => ({ url: `${NGINX}/page.html` }) },
      target: { ratio: 0.6, p99ms: 10 },
    },
    {
      figure: "1. /simple/<project>/ JSON",
      load: () => ({ url: `${BASE}/simple/wh-bench/`, headers: [asJson] }),
      baseline: { label: "nginx", load: () => ({ url: `${NGINX}/page.json` }) },
      target: { ratio: 0.6, p99ms: 10 },
    },
    {
      figure: "1. /simple/<project>/ HTML, gzip",
      load: () => ({ url: `${BASE}/simple/wh-bench/`, headers: [gz] }),
      baseline: { label: "nginx", load: () => ({ url: `${NGINX}/page.html`, headers: [gz] }) },
      target: { ratio: 0.6, p99ms: 10 },
    },
    // pip sends `Accept-Encoding: gzip, deflate` and prefers JSON; nginx serves the same gzip bytes (gzip_static).
    {
      figure: "1. /simple/<project>/ JSON, gzip (as pip asks)",
      load: () => ({ url: `${BASE}/simple/wh-bench/`, headers: [asJson, gz] }),
      baseline: { label: "nginx", load: () => ({ url: `${NGINX}/page.json`, headers: [gz] }) },
      target: { ratio: 0.6, p99ms: 10 },
    },
    {
      figure: "13. cached anonymous project page, 64 connections",
      load: () => ({ url: `${BASE}/project/wh-bench`, connections: 64 }),
      baseline: "p99 2.7 s (issue 13)",
      target: { p99ms: 50 },
    },
  ];
  console.error("measuring issue 13's rows …");
  await measureRows(issue13);

  console.error("measuring downloads and anonymous project pages …");
  await measureRows([
    {
      figure: "2. 1 MB wheel download",
      load: () => ({ url: bigUrl }),
      baseline: { label: "nginx", load: () => ({ url: `${NGINX}/big.whl` }) },
      target: { ratio: 0.5 },
    },
    // The baseline is the same page rendered by Next.js on every request (any session cookie, even an
    // unknown one, bypasses the cache).
    {
      figure: "6. anonymous project page",
      load: () => ({ url: `${BASE}/project/wh-bench` }),
      baseline: {
        // Pages are the same bytes for everyone, so no cookie skips the kept copy; a query string does.
        label: "rendered each time",
        load: () => ({ url: `${BASE}/project/wh-bench?rendered` }),
      },
      target: { rps: 5000 },
    },
  ]);

  console.error("timing pip install of the 20-package tree …");
  await row("7. pip install of a 20-package tree (median of 5)", "≤ 1.1× nginx", async () => {
    const [ours, nginxStatic] = await timePipTree([`${BASE}/simple/`, `${NGINX}/simple/`]);
    return {
      value: `${(ours! / 1000).toFixed(2)} s`,
      baseline: `nginx static ${(nginxStatic! / 1000).toFixed(2)} s`,
      ratio: (ours! / nginxStatic!).toFixed(2),
      ok: ours! / nginxStatic! <= 1.1,
    };
  });

  await row("3. upload visible in the next request", "yes", async () => {
    await upload(
      token,
      "wh_bench-51.0-py3-none-any.whl",
      await makeWheel({ name: "wh-bench", version: "51.0" }),
      "wh-bench",
      "51.0",
    );
    const fresh = (await (await get(`${BASE}/simple/wh-bench/`)).text()).includes("wh_bench-51.0");
    return { value: fresh ? "yes" : "no", ok: fresh };
  });

  // 4. A 200 MB upload: the server's resident memory during it, and throughput.
  await row("4. 200 MB upload", "RSS +< 64 MB", async () => {
    const hugePath = path.join(DATA, "huge.whl");
    fs.writeFileSync(
      hugePath,
      await makeWheel({ name: "wh-huge", version: "1.0", payload: crypto.randomBytes(200 * 1024 * 1024) }),
    );
    const before = rssMb(server!.pid!);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server!.pid!))), 50);
    const started = Date.now();
    const status = await upload(token, "wh_huge-1.0-py3-none-any.whl", hugePath, "wh-huge", "1.0").finally(() =>
      clearInterval(sampler),
    );
    fs.rmSync(hugePath);
    if (status !== 200) throw new Error(`upload answered ${status}`);
    return {
      value: `RSS +${(peak - before).toFixed(0)} MB, ${(200 / ((Date.now() - started) / 1000)).toFixed(0)} MB/s`,
      baseline: `RSS before ${before.toFixed(0)} MB`,
      ok: peak - before < 64,
    };
  });

  // 5. What one user waits for at this size, one request at a time.
  const p50 = async (urls: string[]) => {
    const times: number[] = [];
    for (const url of urls) {
      const started = performance.now();
      const res = await get(url);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${url}: ${res.status}`);
      times.push(performance.now() - started);
    }
    return medianOf(times);
  };
  await row("5. project page at scale (p50)", "≤ 50 ms", async () => {
    const ms = await p50(spareNames.map((n) => `${BASE}/project/${n}`));
    return { value: `${ms.toFixed(1)} ms`, ok: ms <= 50 };
  });
  await row("5. search at scale (p50)", "≤ 50 ms", async () => {
    const ms = await p50(spareSearches.map((q) => `${BASE}${q}`));
    return { value: `${ms.toFixed(1)} ms`, ok: ms <= 50 };
  });
  await row("5. /simple/ root first byte (streamed)", "≤ 200 ms", async () => {
    const started = performance.now();
    const reader = (await get(`${BASE}/simple/`)).body!.getReader();
    await reader.read();
    const firstByte = performance.now() - started;
    let bytes = 0;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.length;
    return {
      value:
        `${firstByte.toFixed(0)} ms ` +
        `(all ${(bytes / 1e6).toFixed(1)} MB in ${(performance.now() - started).toFixed(0)} ms)`,
      ok: firstByte <= 200,
    };
  });
  await row("5. new upload at scale", "≤ 200 ms", async () => {
    const started = performance.now();
    const status = await upload(
      token,
      "wh_late-1.0-py3-none-any.whl",
      await makeWheel({ name: "wh-late", version: "1.0" }),
      "wh-late",
      "1.0",
    );
    const ms = performance.now() - started;
    if (status !== 200) throw new Error(`upload answered ${status}`);
    return { value: `${ms.toFixed(0)} ms`, ok: ms <= 200 };
  });

  // 8. Memory under mixed load: 64 connections on each of an index page, a project page, search
  // and a download at once; the Node processes' memory before and after.
  const allowed = Number(env.WHEELHOUSE_CACHE_MB ?? 128) + 100;
  console.error(`mixed load for ${MIXED_SECONDS} s …`);
  await row(
    `8. RSS growth after ${+(MIXED_SECONDS / 60).toFixed(1)} minutes of mixed load`,
    `≤ ${allowed} MB (cache + 100)`,
    async () => {
      const before = rssMb(server!.pid!, true);
      await Promise.all(
        [`${BASE}/simple/wh-bench/`, `${BASE}/project/wh-bench`, `${BASE}/search?q=wh`, bigUrl].map((url) =>
          once(start("wrk", ["-t1", "-c64", `-d${MIXED_SECONDS}s`, url], { stdio: "ignore" }), "exit"),
        ),
      );
      const growth = rssMb(server!.pid!, true) - before;
      return {
        value: `+${growth.toFixed(0)} MB`,
        baseline: `Node processes ${before.toFixed(0)} MB before`,
        ok: growth <= allowed,
      };
    },
  );

  // The scaling figure: issue 13's rows again with each count of edge processes and Next.js workers.
  for (const { edges, workers } of SCALING) {
    const label = `WHEELHOUSE_WORKERS=${edges}, WHEELHOUSE_NEXT_WORKERS=${workers}`;
    console.error(`issue 13's rows with ${label} …`);
    try {
      await startServer({ WHEELHOUSE_WORKERS: String(edges), WHEELHOUSE_NEXT_WORKERS: String(workers) });
      await measureRows(issue13, ` [${edges} edge${edges > 1 ? "s" : ""}, ${workers} worker${workers > 1 ? "s" : ""}]`);
    } catch (err) {
      await row(`13. scaling with ${label}`, "-", () => Promise.reject(err));
    }
  }
}

function printTable() {
  const cols: (keyof Row)[] = ["figure", "value", "baseline", "ratio", "target", "status"];
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (r: Row | Record<keyof Row, string>) => `| ${cols.map((c, i) => r[c].padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line(Object.fromEntries(cols.map((c) => [c, c])) as Record<keyof Row, string>));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} on ${os.availableParallelism()} cores`,
  );
}

try {
  await main();
} catch (err) {
  // Setting up failed: the rows measured so far still print.
  console.error(err);
  process.exitCode = 1;
} finally {
  await cleanUp();
  printTable();
}

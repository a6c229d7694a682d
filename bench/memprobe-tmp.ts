import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { execFileSync, spawn } from "node:child_process";
import { makeWheel, rawUpload } from "../e2e/support/uploads";
const ROOT = "/work/wt/faults";
const DATA = path.join(ROOT, ".data/e2e-memprobe");
const PORT = 3410;
const BASE = `http://127.0.0.1:${PORT}`;
const SECONDS = Number(process.env.SECONDS ?? 30);
fs.rmSync(DATA, { recursive: true, force: true });
const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(PORT), WHEELHOUSE_DATA_DIR: DATA, EMBEDDED_PG_PORT: "54449", WHEELHOUSE_REQUIRE_2FA: "false", TSX_TSCONFIG_PATH: path.join(ROOT, "tsconfig.node.json"), SMTP_URL: "", WHEELHOUSE_MAX_CONNECTIONS_PER_IP: "0" };
delete env.DATABASE_URL;
const server = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
const kids = (pid: number) => fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
try {
  for (let i = 0; i < 200; i++) { if ((await fetch(`${BASE}/help`).catch(() => null))?.ok) break; await new Promise((r) => setTimeout(r, 500)); }
  const admin = (...a: string[]) => execFileSync(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...a], { cwd: ROOT, env, encoding: "utf8" }).trim();
  admin("create-user", "--username", "bench", "--email", "bench@example.test", "--password", "benchmark horse battery staple", "--verified");
  const token = admin("create-token", "--username", "bench");
  for (let v = 1; v <= 20; v++) {
    const r = await rawUpload({ token, name: "wh-bench", version: `${v}.0`, filename: `wh_bench-${v}.0-py3-none-any.whl`, content: await makeWheel({ name: "wh-bench", version: `${v}.0` }), baseUrl: BASE });
    if (r.status !== 200) throw new Error(r.body);
  }
  const big = await makeWheel({ name: "wh-big", version: "1.0", payload: crypto.randomBytes(1024 * 1024) });
  await rawUpload({ token, name: "wh-big", version: "1.0", filename: "wh_big-1.0-py3-none-any.whl", content: big, baseUrl: BASE });
  const json = await (await fetch(`${BASE}/simple/wh-big/`, { headers: { accept: "application/vnd.pypi.simple.v1+json" } })).json() as { files: { url: string }[] };
  const urls = [`${BASE}/simple/wh-bench/`, `${BASE}/project/wh-bench`, `${BASE}/search?q=wh`, `${BASE}${json.files[0]!.url}`];
  const wrapper = server.pid!;
  const parent = kids(wrapper).length ? wrapper : wrapper;
  const report = (label: string) => {
    const procs = [parent, ...kids(parent)];
    console.log(label, procs.map((p) => `${p}:${fs.readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0").slice(-1)[0] || fs.readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0").slice(-2)[0]}=${rss(p).toFixed(0)}MB`).join("  "));
  };
  report("before");
  const wrks = urls.map((u) => spawn("wrk", ["-t1", "-c64", `-d${SECONDS}s`, u], { stdio: ["ignore", "pipe", "inherit"] }));
  const outs = wrks.map((w) => { let o = ""; w.stdout!.on("data", (c) => (o += c)); return new Promise<string>((r) => w.on("exit", () => r(o))); });
  const timer = setInterval(() => report(`t`), 10_000);
  const res = await Promise.all(outs);
  clearInterval(timer);
  res.forEach((o, i) => console.log(urls[i], /Requests\/sec:\s+([\d.]+)/.exec(o)?.[1], /Non-2xx.*/.exec(o)?.[0] ?? ""));
  report("after");
  await new Promise((r) => setTimeout(r, 5000));
  report("after+5s");
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => server.on("exit", r));
}

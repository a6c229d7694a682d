// CPU per first render of `/pypi/<name>/json` by the edge (server/fast/json-api.ts), without HTTP:
// N seeded projects, each asked for once by 16 callers at a time (as the bench's wrk row does),
// through the edge's own function with a stand-in response. Prints this process's CPU and
// PostgreSQL's (its backends', from /proc) per request, and the statements sent per request.
//   WHEELHOUSE_DATA_DIR=/tmp/x EMBEDDED_PG_PORT=55447 npx tsx --tsconfig tsconfig.node.json \
//     bench/json-first-render.ts 1000 [gzip]
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { prepareRuntime } from "@/lib/runtime/bootstrap";
import { pool } from "@/lib/db/client";
import { serveJsonApi } from "@/server/fast/json-api";

const N = Number(process.argv[2] ?? 1000);
const GZIP = process.argv[3] === "gzip";
const CONCURRENCY = 16;
const TICK_MS = 1000 / 100;

function descendants(pid: number): number[] {
  const kids = fs
    .readdirSync(`/proc/${pid}/task`)
    .flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean));
  return [pid, ...kids.map(Number).flatMap((k) => (fs.existsSync(`/proc/${k}`) ? descendants(k) : []))];
}
function ticks(pids: number[]): number {
  let sum = 0;
  for (const p of pids) {
    try {
      const f = fs.readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ");
      sum += Number(f[11]) + Number(f[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return sum;
}

const runtime = await prepareRuntime({ quiet: true });
// Statements sent, counted on the process's pool (the edge's plain SQL and Prisma both use it).
let sent = 0;
const query = pool().query.bind(pool());
pool().query = ((...args: Parameters<typeof query>) => {
  sent++;
  return query(...args);
}) as typeof query;

const names = (
  await pool().query<{ n: string }>("SELECT normalized_name AS n FROM projects ORDER BY random() LIMIT $1", [N + 100])
).rows.map((r) => r.n);

let bytes = 0;
const request = { method: "GET", headers: GZIP ? { "accept-encoding": "gzip" } : {} } as IncomingMessage;
const response = {
  writeHead() {
    return this;
  },
  end(body?: Buffer) {
    bytes += body?.length ?? 0;
  },
} as unknown as ServerResponse;

async function pass(list: string[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < list.length) {
        if (!(await serveJsonApi(request, response, `/pypi/${list[next++]}/json`))) throw new Error("not served");
      }
    }),
  );
}

await pass(names.slice(N)); // warm-up on other projects: JIT, prepared statements, connections
const postgres = descendants(process.pid).filter((p) => p !== process.pid);
const [q0, b0, cpu0, pg0, t0] = [sent, bytes, process.cpuUsage(), ticks(postgres), performance.now()];
await pass(names.slice(0, N));
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const [nodeMs, pgMs] = [(cpu.user + cpu.system) / 1000, (ticks(postgres) - pg0) * TICK_MS];
console.log(
  `${N} first renders${GZIP ? " (gzip)" : ""}: ` +
    `edge ${(nodeMs / N).toFixed(3)} + PostgreSQL ${(pgMs / N).toFixed(3)} = ` +
    `${((nodeMs + pgMs) / N).toFixed(3)} CPU-ms per request; ` +
    `${((sent - q0) / N).toFixed(2)} statements per request; ` +
    `wall ${(wall / N).toFixed(3)} ms per request; ${Math.round((bytes - b0) / N)} bytes per answer`,
);
await pool().end();
await runtime.stop();
process.exit();

// Production runs what `npm run build` compiles (scripts/build-server.mjs) under plain node: no
// TypeScript loader, and `server-only` (which throws outside React's server build) compiled away.
// The end-to-end tests start the same compiled server; this checks the build on its own.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
// Inside the checkout, as dist/ is: the compiled code finds node_modules and the app's files above it.
const out = path.join(ROOT, ".data", `test-dist-${process.pid}`);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "wh-compiled-"));

/** Runs a compiled entry point with plain node (no --import, no NODE_OPTIONS); never rejects. */
async function node(entry: string, args: string[], env: Record<string, string> = {}) {
  const { NODE_OPTIONS: _options, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(out, entry), ...args], {
      cwd: ROOT,
      env: { ...inherited, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("the compiled server", () => {
  beforeAll(async () => {
    await run(process.execPath, ["scripts/build-server.mjs", out], { cwd: ROOT });
  });
  afterAll(() => {
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("is plain JavaScript that needs neither tsx nor the sources of lib/", () => {
    for (const entry of ["server/main.js", "server/next-worker.js", "server/edge-worker.js", "scripts/admin.js"]) {
      const code = fs.readFileSync(path.join(out, entry), "utf8");
      expect(code).not.toMatch(/from ["'](?:tsx|@\/|server-only)/);
    }
  });

  it("runs the admin command line under plain node", async () => {
    const result = await node("scripts/admin.js", ["help"]);
    expect(result.stdout).toContain("Usage: npm run admin -- <command>");
    expect(result.code).toBe(0);
  });

  it("loads the whole server under plain node and stops with a clear message when it cannot start", async () => {
    // Nothing listens on port 1: start-up gets as far as the database and says why it stops.
    const result = await node("server/main.js", [], {
      WHEELHOUSE_DATA_DIR: dataDir,
      DATABASE_URL: "postgresql://wheelhouse@127.0.0.1:1/none",
      PORT: "1",
    });
    expect(result.stderr).toMatch(/^wheelhouse: cannot start: /m);
    expect(result.code).toBe(1);
  });

  it("refuses to run its Next.js worker or an edge process on its own", async () => {
    for (const entry of ["server/next-worker.js", "server/edge-worker.js"]) {
      const result = await node(entry, []);
      expect(result.stderr).toContain("is started by server/main.ts, not directly");
      expect(result.code).toBe(1);
    }
  });
});

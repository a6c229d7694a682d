// Turns two Prisma datamodels into the SQL that migrates one into the other, using Prisma 6's CLI
// (tools/prisma6) and its WASM schema engine, since Prisma 7's CLI needs a native engine. Dev tooling
// for scripts/new-migration.ts and the schema test; never used by the running app.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawn } from "node:child_process";

const ROOT = path.resolve(import.meta.dirname, "..");
const TOOL = path.join(ROOT, "tools/prisma6");
const STUB = path.join(ROOT, "scripts/no-schema-engine.sh");

/** Installs tools/prisma6's own dependencies when missing (its own lock file, its own folder). */
export function ensurePrisma6(): void {
  if (fs.existsSync(path.join(TOOL, "node_modules/.bin/prisma"))) return;
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: TOOL, stdio: "inherit" });
}

/** Prisma 6 needs `url` in the datasource (Prisma 7 forbids it) and does not know our generator options. */
function forPrisma6(datamodel: string): string {
  return datamodel
    .replace(/^generator\s+\w+\s*\{[\s\S]*?^\}/m, "")
    .replace(/(datasource\s+db\s*\{[^}]*provider\s*=\s*"postgresql")/, '$1\n  url = env("MIGRATE_DATABASE_URL")');
}

/**
 * SQL that turns `from` (a datamodel's text, or null for an empty database) into `to`.
 * `databaseUrl` is any reachable PostgreSQL: the CLI connects to it before diffing, though it reads no data.
 */
export async function diffDatamodels(from: string | null, to: string, databaseUrl: string): Promise<string> {
  ensurePrisma6();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wh-diff-"));
  try {
    const toFile = path.join(dir, "to.prisma");
    fs.writeFileSync(toFile, forPrisma6(to));
    const args = ["migrate", "diff", "--script", "--to-schema-datamodel", toFile];
    if (from === null) args.push("--from-empty");
    else {
      const fromFile = path.join(dir, "from.prisma");
      fs.writeFileSync(fromFile, forPrisma6(from));
      args.push("--from-schema-datamodel", fromFile);
    }
    const env = {
      ...process.env,
      MIGRATE_DATABASE_URL: databaseUrl,
      PRISMA_QUERY_ENGINE_LIBRARY: STUB,
      PRISMA_SCHEMA_ENGINE_BINARY: STUB,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    };
    // The WASM engine leaves timers pending after it has printed the script: read until the SQL is
    // complete is not knowable, so wait for exit but cap it.
    return await new Promise<string>((resolve, reject) => {
      const child = spawn(path.join(TOOL, "node_modules/.bin/prisma"), args, { cwd: TOOL, env });
      let out = "";
      let err = "";
      child.stdout.on("data", (c: Buffer) => (out += c.toString()));
      child.stderr.on("data", (c: Buffer) => (err += c.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
      child.on("close", (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(out);
        else reject(new Error(`prisma migrate diff failed (${code}):\n${err}`));
      });
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** True when the SQL has no statement, only comments and blank lines. */
export function isEmptyMigration(sql: string): boolean {
  return sql.split("\n").every((l) => l.trim() === "" || l.trim().startsWith("--"));
}

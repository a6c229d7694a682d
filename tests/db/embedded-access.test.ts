// As root the embedded PostgreSQL runs as the 'postgres' user (PostgreSQL refuses root), so a data
// directory under a folder that user cannot enter (a clone under /root, any mode-700 parent) must
// stop start-up with a message naming that folder and the way out, not a raw `spawn … EACCES`.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, expect, test } from "vitest";
import { folderClosedTo } from "@/lib/db/embedded";

const ROOT = path.resolve(import.meta.dirname, "../..");
let base: string;
let closed: string;

beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "wheelhouse-access-"));
  fs.chmodSync(base, 0o755);
  closed = path.join(base, "home");
  fs.mkdirSync(path.join(closed, "clone"), { recursive: true });
  fs.chmodSync(closed, 0o700);
});

afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

test("finds the first folder on the way that a user can neither own nor pass as group or other", () => {
  const me = { uid: process.getuid!(), gid: process.getgid!() };
  const stranger = { uid: 54_321, gid: 54_321 };
  const target = path.join(closed, "clone", ".data");
  expect(folderClosedTo(target, stranger)).toBe(closed);
  expect(folderClosedTo(target, null)).toBe(closed);
  expect(folderClosedTo(target, me)).toBeNull(); // its owner passes
  fs.chmodSync(closed, 0o701);
  expect(folderClosedTo(target, stranger)).toBeNull(); // search permission is enough
  fs.chmodSync(closed, 0o710);
  expect(folderClosedTo(target, { uid: 54_321, gid: fs.statSync(closed).gid })).toBeNull(); // as its group
});

test("the admin command line run as root in such a folder stops with the folder and the way out", async () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WHEELHOUSE_DATA_DIR: path.join(closed, "clone", ".data"),
    EMBEDDED_PG_PORT: "1",
    TSX_TSCONFIG_PATH: path.join(ROOT, "tsconfig.node.json"),
  };
  delete env.DATABASE_URL;
  const run = promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/admin.ts", "list-users"], {
    cwd: ROOT,
    env,
  });
  if (process.getuid?.() !== 0) {
    // Not root: PostgreSQL runs as this user, who owns the folder; the outcome to check is root's.
    expect(folderClosedTo(env.WHEELHOUSE_DATA_DIR!, { uid: process.getuid!(), gid: process.getgid!() })).toBeNull();
    await run.catch(() => {});
    return;
  }
  const failure = (await run.then(
    () => null,
    (err: { code: number; stderr: string }) => err,
  ))!;
  expect(failure).not.toBeNull();
  expect(failure.code).toBe(1);
  expect(failure.stderr).toContain(`cannot enter ${closed} (mode 700)`);
  expect(failure.stderr).toContain(`chmod o+x ${closed}`);
  expect(failure.stderr).not.toMatch(/EACCES|\n\s+at /);
});

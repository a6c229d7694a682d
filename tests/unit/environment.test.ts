// One module reads Wheelhouse's environment (lib/config.ts) and nothing writes it: what start-up
// settles (database, secrets) is held by lib/config.ts and handed to child processes explicitly.
// ESLint enforces the reading rule while editing; this guards both in the test run.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(?:ts|tsx|mjs|js)$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)))
    .filter((f) => !f.startsWith("lib/generated/"));
}

const APP = ["app", "components", "lib", "server"].flatMap(sources);
const WRITES =
  /process\.env(?:\.\w+|\[[^\]]+\])\s*(?:=(?!=)|\?\?=|\|\|=|&&=)|delete\s+process\.env|Object\.assign\(\s*process\.env/;

describe("the environment", () => {
  it("is never written by the app, the server or its scripts", () => {
    const writers = [...APP, ...sources("scripts")].filter((f) =>
      WRITES.test(fs.readFileSync(path.join(ROOT, f), "utf8")),
    );
    expect(writers).toEqual([]);
  });

  it("is read only by lib/config.ts", () => {
    const readers = APP.filter(
      (f) => f !== "lib/config.ts" && /process\.env/.test(fs.readFileSync(path.join(ROOT, f), "utf8")),
    );
    expect(readers).toEqual([]);
  });

  it("the write check recognises the forms it forbids", () => {
    for (const line of [
      "process.env.X = 'y'",
      "process.env['X'] ??= y",
      "delete process.env.X",
      "Object.assign(process.env, y)",
    ])
      expect(line).toMatch(WRITES);
    expect("if (process.env.X === 'y')").not.toMatch(WRITES);
  });
});

// Where the app's files are (package.json, prisma/migrations, .next): found from this module's own
// place, which is lib/runtime/ when run from source (tests, tsx) and dist/… once built.
import fs from "node:fs";
import path from "node:path";

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (dir === path.dirname(dir)) throw new Error(`no package.json above ${from}`);
  }
}

export const APP_ROOT = findRoot(import.meta.dirname);

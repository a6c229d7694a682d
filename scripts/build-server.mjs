// Compiles what runs outside Next (the server, its Next.js worker, the admin command line) and the
// lib/ modules they import into dist/, so production runs plain `node` with no TypeScript loader.
// npm packages stay external: they are loaded from node_modules as they are.
// `node scripts/build-server.mjs [OUTDIR]`: OUTDIR (default dist) must lie inside the checkout, so
// that the compiled code finds node_modules and the app's files above it.
import path from "node:path";
import { build } from "esbuild";

const ROOT = path.resolve(import.meta.dirname, "..");
const outdir = path.resolve(ROOT, process.argv[2] ?? "dist");

await build({
  absWorkingDir: ROOT,
  entryPoints: {
    "server/main": "server/main.ts",
    "server/next-worker": "server/next-worker.ts",
    "server/edge-worker": "server/edge-worker.ts",
    "scripts/admin": "scripts/admin.ts",
  },
  outdir,
  outExtension: { ".js": ".js" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20.19",
  packages: "external",
  // These processes are the server: the guard against importing data-layer code into client
  // bundles resolves to its empty module here, as Next does for server code.
  alias: { "server-only": "./node_modules/server-only/empty.js" },
  tsconfig: "tsconfig.json",
  sourcemap: "linked",
  logLevel: "warning",
});
console.log(`server compiled to ${path.relative(ROOT, outdir)}/`);

// server/routes.ts is where a newcomer finds the file behind any URL: it must name every page and
// route handler under app/, and nothing that is not there.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EDGE_ROUTES, NEXT_ROUTES, edgeRoute } from "@/server/routes";

const ROOT = path.resolve(import.meta.dirname, "../..");

function appEntries(dir = "app"): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return appEntries(rel);
    return entry.name === "page.tsx" || entry.name === "route.ts" ? [rel] : [];
  });
}

describe("the route table", () => {
  it("lists every page and route handler of the app, once", () => {
    const listed = NEXT_ROUTES.map((route) => route.file);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(appEntries().sort());
  });

  it("names files that exist for the edge's own routes", () => {
    for (const route of EDGE_ROUTES) expect(fs.existsSync(path.join(ROOT, route.file)), route.file).toBe(true);
  });

  it("sends the hot paths to the edge and the rest to Next", () => {
    expect(edgeRoute("/simple/numpy/")?.file).toBe("server/fast/simple-pages.ts");
    expect(edgeRoute("/packages/ab/cd/ef/x-1.0.tar.gz")?.file).toBe("server/fast/downloads.ts");
    expect(edgeRoute("/project/numpy/")?.file).toBe("server/fast/project-pages.ts");
    expect(edgeRoute("/simple/")?.file).toBe("server/fast/simple-index.ts");
    expect(edgeRoute("/simple")?.file).toBe("server/fast/simple-index.ts");
    expect(edgeRoute("/pypi/numpy/json")?.file).toBe("server/fast/json-api.ts");
    expect(edgeRoute("/search/")).toBeUndefined();
    expect(edgeRoute("/account/login/")).toBeUndefined();
  });
});

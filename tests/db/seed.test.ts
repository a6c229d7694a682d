// `npm run seed` (scripts/seed.ts), on a database of its own: the bench's scale rows and search rows
// stand on what it writes, so its rows must be ones the app itself could have written.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { confusableSkeleton, normalizeName } from "@/lib/packaging/names";

const ROOT = path.resolve(import.meta.dirname, "../..");
const adminUrl = process.env.TEST_PG_ADMIN_URL!;
const name = `wh_seed_${Date.now()}`;
const url = adminUrl.replace(/\/postgres$/, `/${name}`);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "wh-seed-"));

async function query<T extends pg.QueryResultRow>(target: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

const seed = (...args: string[]) =>
  promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/seed.ts", ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url,
      WHEELHOUSE_DATA_DIR: dataDir,
      TSX_TSCONFIG_PATH: path.join(ROOT, "tsconfig.node.json"),
    },
  });

beforeAll(async () => {
  await query(adminUrl, `CREATE DATABASE ${name}`);
  await migrate(url);
});
afterAll(async () => {
  await query(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// Two runs of a script under tsx take a while on a loaded machine.
it(
  "seeds valid, searchable projects with their releases and files, and a second run adds new names",
  { timeout: 180_000 },
  async () => {
    expect((await seed("--projects", "300", "--releases", "3", "--files", "2")).stdout).toMatch(
      /^seeded 300 projects, 900 releases, 1800 files in /,
    );
    expect((await seed("--projects", "200", "--releases", "3", "--files", "2")).stdout).toMatch(
      /^seeded 200 projects, 600 releases, 1200 files in /,
    );

    const projects = await query<{
      name: string;
      normalized_name: string;
      confusable_key: string;
      summary: string;
      keywords: string[];
      classifiers: string[];
      matched: boolean;
    }>(
      url,
      `SELECT name, normalized_name, confusable_key, summary, keywords, classifiers,
            search_vector @@ plainto_tsquery('simple', split_part(name, '-', 1)) AS matched FROM projects`,
    );
    expect(projects).toHaveLength(500);
    // The keys the upload path computes: what refuses a look-alike name would refuse none of these.
    for (const p of projects) {
      expect(normalizeName(p.name)).toBe(p.normalized_name);
      expect(confusableSkeleton(p.name)).toBe(p.confusable_key);
      expect(p.summary).toMatch(/^\w[\w ]+: .+ for \w+ and \w+$/);
      expect(p.keywords.length).toBeGreaterThanOrEqual(2);
      expect(p.matched).toBe(true);
    }
    expect(new Set(projects.map((p) => p.confusable_key)).size).toBe(500);
    // Classifiers range from common to rare, and the filter's counts (kept by triggers) include them.
    const counts = await query<{ classifier: string; projects: number }>(
      url,
      "SELECT classifier, count(*)::int AS projects " +
        "FROM projects, unnest(classifiers) AS classifier GROUP BY classifier",
    );
    expect(counts.length).toBeGreaterThan(20);
    expect(Math.min(...counts.map((c) => c.projects))).toBeLessThan(Math.max(...counts.map((c) => c.projects)) / 2);
    const kept = await query<{ classifier: string; projects: number }>(
      url,
      "SELECT classifier, projects FROM classifier_counts",
    );
    const byName = (rows: { classifier: string; projects: number }[]) =>
      Object.fromEntries(rows.map((r) => [r.classifier, r.projects]));
    expect(byName(kept)).toEqual(byName(counts));

    const [files] = await query<{ files: number; registered: number; owned: number; orphans: number }>(
      url,
      `SELECT (SELECT count(*)::int FROM files) AS files,
            (SELECT count(*)::int FROM filename_registry) AS registered,
            (SELECT count(*)::int FROM project_roles WHERE role = 'owner') AS owned,
            (SELECT count(*)::int FROM files f
               LEFT JOIN releases r ON r.id = f.release_id AND r.project_id = f.project_id
               WHERE r.id IS NULL) AS orphans`,
    );
    expect(files).toEqual({ files: 3000, registered: 3000, owned: 500, orphans: 0 });
  },
);

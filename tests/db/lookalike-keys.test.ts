// The lookalike_keys migration on a database that already has projects, reserved names and deleted
// accounts' names: project keys gain rn → m and vv → w without breaking their uniqueness (of names
// that now read alike, the one already holding the key, else the oldest, takes it), and every
// prohibited username gets its look-alike key.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { confusableSkeleton } from "@/lib/packaging/names";

const adminUrl = process.env.TEST_PG_ADMIN_URL!;
const name = `wh_lookalike_${Date.now()}`;
const url = adminUrl.replace(/\/postgres$/, `/${name}`);
const MIGRATIONS = path.resolve(import.meta.dirname, "../../prisma/migrations");
const MIGRATION = fs.readdirSync(MIGRATIONS).find((d) => d.endsWith("_lookalike_keys"))!;

async function query<T extends pg.QueryResultRow>(text: string, params: unknown[] = [], target = url): Promise<T[]> {
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(() => query(`CREATE DATABASE ${name}`, [], adminUrl));
afterAll(() => query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, [], adminUrl));

/** The key each name had before: Warehouse's, without the letter pairs. */
const oldKey = (n: string) => n.toLowerCase().replace(/[-_.]/g, "").replace(/[li]/g, "1").replace(/o/g, "0");

it("recomputes project and reserved-name keys and gives prohibited usernames theirs", async () => {
  const before = fs.mkdtempSync(path.join(os.tmpdir(), "wh-migrations-"));
  for (const entry of fs.readdirSync(MIGRATIONS, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name < MIGRATION)
      fs.cpSync(path.join(MIGRATIONS, entry.name), path.join(before, entry.name), { recursive: true });
  }
  await migrate(url, before);
  fs.rmSync(before, { recursive: true, force: true });
  const projects = [
    ["maria", "2026-01-02"], // holds "maria" already: keeps it
    ["rnaria", "2026-01-01"], // older, but would take the key from maria: keeps its old one
    ["vvheel", "2026-01-03"], // alone: gains the new key
    ["rnvv-a", "2026-01-04"],
    ["rn-vv_b", "2026-01-05"],
  ] as const;
  for (const [n, created] of projects) {
    await query(
      "INSERT INTO projects (id, name, normalized_name, confusable_key, created_at) " +
        "VALUES (gen_random_uuid(), $1::text, lower($1::text), $2, $3::timestamptz)",
      [n, oldKey(n), created],
    );
  }
  await query(
    "INSERT INTO reserved_project_names (normalized_name, name, confusable_key, serial) " +
      "VALUES ('rnodule', 'rnodule', 'rn0du1e', 1)",
  );
  await query("INSERT INTO prohibited_usernames (username_key) VALUES ('adrnin'), ('bob')");

  expect(await migrate(url)).toContain(MIGRATION);
  expect(await query("SELECT name, confusable_key FROM projects ORDER BY name")).toEqual([
    { name: "maria", confusable_key: confusableSkeleton("maria") },
    { name: "rn-vv_b", confusable_key: confusableSkeleton("rn-vv_b") },
    { name: "rnaria", confusable_key: oldKey("rnaria") },
    { name: "rnvv-a", confusable_key: confusableSkeleton("rnvv-a") },
    { name: "vvheel", confusable_key: confusableSkeleton("vvheel") },
  ]);
  expect(await query("SELECT confusable_key FROM reserved_project_names")).toEqual([
    { confusable_key: confusableSkeleton("module") },
  ]);
  expect(await query("SELECT username_key, username_skeleton FROM prohibited_usernames ORDER BY username_key")).toEqual(
    [
      { username_key: "adrnin", username_skeleton: confusableSkeleton("admin") },
      { username_key: "bob", username_skeleton: "b0b" },
    ],
  );
});

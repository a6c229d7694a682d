// The migrations must build exactly the database that prisma/schema.prisma describes: a database
// migrated by lib/db/migrate.ts and one built straight from the schema have the same catalog.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { diffDatamodels } from "@/scripts/schema-diff";

const adminUrl = process.env.TEST_PG_ADMIN_URL!;
const urlFor = (name: string) => adminUrl.replace(/\/postgres$/, `/${name}`);
const suffix = Date.now();
const migrated = `wh_schema_migrated_${suffix}`;
const direct = `wh_schema_direct_${suffix}`;

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Tables, columns, indexes and constraints, as sorted text lines. CHECK constraints are left out:
 * a Prisma datamodel cannot express them, so they exist only in migrations (status-checks.test.ts).
 */
async function catalog(url: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const skip = "'_prisma_migrations'";
    const columns = await c.query(`
      SELECT table_name || '.' || column_name || ' ' || data_type
        || coalesce('(' || character_maximum_length || ')', '')
        || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> ${skip}`);
    const indexes = await c.query(`
      SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> ${skip}`);
    const constraints = await c.query(`
      SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line
      FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> ${skip} AND contype <> 'c'`);
    return [...columns.rows, ...indexes.rows, ...constraints.rows].map((r) => String(r.line)).sort();
  });
}

describe("migrations", () => {
  beforeAll(async () => {
    await withClient(adminUrl, async (c) => {
      await c.query(`CREATE DATABASE ${migrated}`);
      await c.query(`CREATE DATABASE ${direct}`);
    });
  });
  afterAll(async () => {
    await withClient(adminUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${migrated} WITH (FORCE)`);
      await c.query(`DROP DATABASE IF EXISTS ${direct} WITH (FORCE)`);
    });
  });

  it("produce exactly the schema in prisma/schema.prisma", async () => {
    const applied = await migrate(urlFor(migrated));
    expect(applied.length).toBeGreaterThan(0);
    const schema = fs.readFileSync(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8");
    const sql = await diffDatamodels(null, schema, urlFor(direct));
    // Extensions are created by hand in migrations, not declared in the schema (Prisma 6 would
    // re-emit them on every diff), so the directly built database gets the same ones first.
    const extensions = await withClient(urlFor(migrated), (c) =>
      c.query<{ extname: string }>("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'"),
    );
    await withClient(urlFor(direct), async (c) => {
      for (const { extname } of extensions.rows) await c.query(`CREATE EXTENSION IF NOT EXISTS ${extname}`);
      await c.query(sql);
    });
    const [fromMigrations, fromSchema] = await Promise.all([catalog(urlFor(migrated)), catalog(urlFor(direct))]);
    expect(fromMigrations.length).toBeGreaterThan(10);
    expect(fromMigrations).toEqual(fromSchema);
  }, 180_000);

  it("are recorded in Prisma's bookkeeping and applied only once", async () => {
    expect(await migrate(urlFor(migrated))).toEqual([]);
    const rows = await withClient(urlFor(migrated), (c) =>
      c.query(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`),
    );
    const dirs = fs
      .readdirSync(path.resolve(import.meta.dirname, "../../prisma/migrations"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(rows.rows.map((r) => r.migration_name).sort()).toEqual(dirs);
    expect(rows.rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
  });
});

// The account_identities migration on a database that already has accounts: verified addresses
// keep their key, and of usernames that already read alike the oldest gets the look-alike key.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { confusableSkeleton } from "@/lib/packaging/names";

const adminUrl = process.env.TEST_PG_ADMIN_URL!;
const name = `wh_identities_${Date.now()}`;
const url = adminUrl.replace(/\/postgres$/, `/${name}`);
const MIGRATIONS = path.resolve(import.meta.dirname, "../../prisma/migrations");

async function query<T extends pg.QueryResultRow>(target: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await query(adminUrl, `CREATE DATABASE ${name}`);
});
afterAll(async () => {
  await query(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

it("backfills verified address keys and look-alike keys, oldest account first", async () => {
  // Every migration before this one, as a database made before it would have.
  const before = fs.mkdtempSync(path.join(os.tmpdir(), "wh-migrations-"));
  for (const entry of fs.readdirSync(MIGRATIONS, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.endsWith("_account_identities")) {
      fs.cpSync(path.join(MIGRATIONS, entry.name), path.join(before, entry.name), { recursive: true });
    }
  }
  await migrate(url, before);
  fs.rmSync(before, { recursive: true, force: true });
  const accounts = [
    ["alice-l", "alice@example.com", true, "2026-01-01"],
    ["alice-I", "alice2@example.com", false, "2026-01-02"],
    ["rnaria", "maria@example.com", false, "2026-01-03"],
    ["maria", "maria2@example.com", true, "2026-01-02"],
    ["bob", "Bob@Example.com", true, "2026-01-04"],
  ] as const;
  for (const [username, email, verified, created] of accounts) {
    await query(
      url,
      `INSERT INTO users (id, username, username_key, email, email_key, email_verified_at, password_hash, created_at)
       VALUES (gen_random_uuid(), $1::text, lower($1::text), $2::text, lower($2::text), $3::timestamptz, 'x',
               $4::timestamptz)`,
      [username, email, verified ? created : null, created],
    );
  }

  expect(await migrate(url)).toEqual([fs.readdirSync(MIGRATIONS).find((d) => d.endsWith("_account_identities"))]);
  const rows = await query<{ username: string; username_skeleton: string | null; verified_email_key: string | null }>(
    url,
    "SELECT username, username_skeleton, verified_email_key FROM users ORDER BY username",
  );
  expect(rows).toEqual([
    { username: "alice-I", username_skeleton: null, verified_email_key: null },
    { username: "alice-l", username_skeleton: confusableSkeleton("alice-l"), verified_email_key: "alice@example.com" },
    { username: "bob", username_skeleton: confusableSkeleton("bob"), verified_email_key: "bob@example.com" },
    { username: "maria", username_skeleton: confusableSkeleton("maria"), verified_email_key: "maria2@example.com" },
    { username: "rnaria", username_skeleton: null, verified_email_key: null },
  ]);
});

// `npm run db:new-migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql from
// the change in prisma/schema.prisma since the last migration (its datamodel is kept beside them).
import fs from "node:fs";
import path from "node:path";
import { diffDatamodels, isEmptyMigration } from "./schema-diff";
import { startEmbeddedPostgres } from "@/lib/db/embedded";

const ROOT = path.resolve(import.meta.dirname, "..");
const MIGRATIONS = path.join(ROOT, "prisma/migrations");
const SNAPSHOT = path.join(MIGRATIONS, "schema-at-last-migration.prisma");

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <name>   (lower-case letters, digits and _)");
  process.exit(2);
}
const schema = fs.readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8");
const previous = fs.existsSync(SNAPSHOT) ? fs.readFileSync(SNAPSHOT, "utf8") : null;

const database =
  process.env.DATABASE_URL !== undefined
    ? { url: process.env.DATABASE_URL, stop: async () => {} }
    : await startEmbeddedPostgres(path.join(ROOT, ".data/migrate-tool"), Number(process.env.MIGRATE_PG_PORT ?? 25398));
try {
  const sql = await diffDatamodels(previous, schema, database.url);
  if (isEmptyMigration(sql)) {
    console.log("prisma/schema.prisma has not changed since the last migration: nothing written.");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
    fs.writeFileSync(SNAPSHOT, schema);
    if (!fs.existsSync(path.join(MIGRATIONS, "migration_lock.toml"))) {
      fs.writeFileSync(path.join(MIGRATIONS, "migration_lock.toml"), 'provider = "postgresql"\n');
    }
    console.log(`wrote ${path.relative(ROOT, dir)}/migration.sql`);
  }
} finally {
  await database.stop();
}

// One private PostgreSQL for the unit and integration tests: a fresh database per run, migrated the way
// the server migrates at start-up. Every test uses the real database; nothing is mocked.
import crypto from "node:crypto";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { migrate } from "../../lib/db/migrate";

export default async function setup() {
  const root = path.resolve(import.meta.dirname, "../..");
  // TEST_PG_PORT: for running a second checkout's tests beside this one on the same machine. The
  // test ports sit below Linux's ephemeral range (32768–60999): a port in it can be held, now and
  // then, by any outgoing connection of the run itself, and the database then fails to start.
  const server = await startEmbeddedPostgres(
    path.join(root, ".data/test-postgres"),
    Number(process.env.TEST_PG_PORT ?? 25391),
  );
  const name = `wh_unit_${Date.now()}`;
  const admin = new pg.Client({ connectionString: server.url.replace(/\/wheelhouse$/, "/postgres") });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = server.url.replace(/\/wheelhouse$/, `/${name}`);
  await migrate(url);
  process.env.DATABASE_URL = url;
  // Queued mail is sealed with it (lib/email/outbox.ts); a test file may set its own.
  process.env.WHEELHOUSE_ENCRYPTION_KEY ??= crypto.randomBytes(32).toString("base64");
  process.env.TEST_PG_ADMIN_URL = server.url.replace(/\/wheelhouse$/, "/postgres");
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await server.stop();
  };
}

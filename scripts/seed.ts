// `npm run seed -- --projects N --releases R --files F`: bulk-inserts synthetic projects for scale
// tests, in set-based SQL (generate_series) inside one transaction: 100k projects / 1M releases /
// 2M files take about a minute. Seeded files have rows but no stored bytes (downloads 404).
import { parseArgs } from "node:util";
import pg from "pg";
import { prepareRuntime } from "@/lib/runtime/bootstrap";

const { values } = parseArgs({
  options: {
    projects: { type: "string", default: "1000" },
    releases: { type: "string", default: "10" },
    files: { type: "string", default: "2" },
    prefix: { type: "string", default: "seed" },
  },
});
const projects = Number(values.projects);
const releases = Number(values.releases);
const files = Number(values.files);
const prefix = values.prefix!;
for (const [flag, n, max] of [["--projects", projects, 10_000_000], ["--releases", releases, 1000], ["--files", files, 10]] as const) {
  if (!Number.isInteger(n) || n < 1 || n > max) {
    console.error(`error: ${flag} takes a whole number from 1 to ${max}`);
    process.exit(2);
  }
}
if (!/^[a-z][a-z0-9]*$/.test(prefix) || /[lio]/.test(prefix)) {
  console.error("error: --prefix takes lower-case letters and digits, without l, i or o (they would be confusable)");
  process.exit(2);
}

const runtime = await prepareRuntime({ quiet: true });
const client = new pg.Client({ connectionString: runtime.databaseUrl });
await client.connect();
const started = Date.now();
try {
  await client.query("BEGIN");
  const owner = await client.query<{ id: string }>(
    `INSERT INTO users (id, username, username_key, email, email_key, password_hash, email_verified_at)
     VALUES (gen_random_uuid(), $1, $1, $2, $2, '!', now())
     ON CONFLICT (username_key) DO UPDATE SET username = EXCLUDED.username RETURNING id`,
    [`${prefix}-owner`, `${prefix}-owner@example.invalid`],
  );
  const ownerId = owner.rows[0]!.id;
  await client.query(
    `INSERT INTO projects (id, name, normalized_name, confusable_key, last_serial, latest_version, summary, keywords, classifiers, updated_at)
     SELECT gen_random_uuid(), $1 || '-' || i, $1 || '-' || i, $1 || i, i, $2 || '.0', 'Synthetic package number ' || i,
            ARRAY['synthetic', 'k' || (i % 100)], ARRAY['Programming Language :: Python :: 3', 'Topic :: T' || (i % 50)],
            now() - (i || ' seconds')::interval
     FROM generate_series(1, $3::int) AS i`,
    [prefix, releases, projects],
  );
  await client.query(
    `INSERT INTO project_roles (project_id, user_id, role) SELECT id, $1::uuid, 'owner' FROM projects WHERE normalized_name LIKE $2 || '-%'`,
    [ownerId, prefix],
  );
  await client.query(
    `INSERT INTO releases (id, project_id, version, canonical_version, summary, keywords, classifiers, requires_dist, provides_extra, created_at)
     SELECT gen_random_uuid(), p.id, r || '.0', r::text, p.summary, p.keywords, p.classifiers, '{}', '{}', now() - ((${releases} - r) || ' days')::interval
     FROM projects p, generate_series(1, $1::int) AS r WHERE p.normalized_name LIKE $2 || '-%'`,
    [releases, prefix],
  );
  await client.query(
    `INSERT INTO files (id, release_id, project_id, filename, packagetype, python_version, size, sha256, md5, blake2b_256)
     SELECT gen_random_uuid(), r.id, r.project_id,
            replace(p.normalized_name, '-', '_') || '-' || r.version || '-py3-none-any' || CASE WHEN f = 1 THEN '' ELSE '.' || f END || '.whl',
            'bdist_wheel', 'py3', 1024 * f, md5(r.id::text || f) || md5(f || r.id::text), md5(r.id::text || f), md5(f || r.id::text) || md5(r.id::text)
     FROM releases r JOIN projects p ON p.id = r.project_id, generate_series(1, $1::int) AS f
     WHERE p.normalized_name LIKE $2 || '-%'`,
    [files, prefix],
  );
  await client.query("INSERT INTO filename_registry (filename) SELECT filename FROM files WHERE filename LIKE $1 || '\\_%' ON CONFLICT DO NOTHING", [prefix]);
  await client.query("COMMIT");
  await client.query("ANALYZE");
  console.log(`seeded ${projects} projects, ${projects * releases} releases, ${projects * releases * files} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  await client.query("ROLLBACK").catch(() => {});
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await client.end();
  await runtime.stop();
}
process.exit();

// `npm run seed -- --projects N --releases R --files F`: bulk-inserts synthetic projects for scale
// tests and the bench. Names, summaries, keywords and classifiers are drawn from a vocabulary of
// words real package names use, so search has realistic work (shared words, prefixes, popular and
// rare classifiers). Set-based SQL (generate_series, INSERT … SELECT) in one transaction: the
// rows never cross the wire, which beats COPY or multi-row INSERTs from here. Seeded files have
// rows but no stored bytes (downloads 404). Running it again adds more projects under new names.
import { parseArgs } from "node:util";
import pg from "pg";
import { prepareRuntime } from "@/lib/runtime/bootstrap";

const { values } = parseArgs({
  options: {
    projects: { type: "string", default: "1000" },
    releases: { type: "string", default: "10" },
    files: { type: "string", default: "2" },
  },
});
const projects = Number(values.projects);
const releases = Number(values.releases);
const files = Number(values.files);
for (const [flag, n, max] of [
  ["--projects", projects, 1_000_000],
  ["--releases", releases, 1000],
  ["--files", files, 10],
] as const) {
  if (!Number.isInteger(n) || n < 1 || n > max) {
    console.error(`error: ${flag} takes a whole number from 1 to ${max}`);
    process.exit(2);
  }
}

const WORDS = `
async aio api app archive asset audio auth avro aws azure backend backup bcrypt bench binary bio
bitmap blob bloom bot bridge broker browser buffer bulk bundle cache calendar canvas captcha cbor
celery chart chat check cli client cloud cluster codec color column compress config console
core cors cron crypto csv cube cuda daemon dash data date db debug decimal deep delta deploy diff
django dns doc docker dom dot driver dump edge email embed emoji engine enum env etl event excel
expr fake fast feed fetch fiber field file filter flags flask float flow font form format frame
fs ftp fuzzy gateway geo git glob graph grid grpc gzip hash heap helper hook html http hyper icon
image index ini io ipc jinja job json jwt kafka kernel key kit lab lambda lang lazy ldap lib lint
list live loader locale lock log lru lxml magic mail map markdown mask math matrix media memo mesh
meta metric micro migrate mini mock model mongo monitor mqtt msgpack multi mysql nano net neural
node note notify num oauth object ocr odbc open orm pack page pandas parse patch path pdf pipe pixel
plot plugin pool port post pretty print proc profile proto proxy pub py pytest qr query queue quick
raft random rate react redis regex render report request rest retry rich route rpc rss rule run s3
saml sample scan schema scrape sdk search secure serial server shell signal simple site slack sms
snap socket solr sort spark spec sql sqlite ssh ssl stack stat storage stream string style svg sync
table task tcp template tensor term test text thread time toml token tool trace tree trie tui type
udp ui unit uri url utils uuid valid vault vector video view web wheel widget wiki worker xml yaml
zip zmq`
  .trim()
  .split(/\s+/);

// Real trove classifiers: the first 17 most projects carry, the topics and frameworks few do.
const CLASSIFIERS = [
  "Development Status :: 3 - Alpha",
  "Development Status :: 4 - Beta",
  "Development Status :: 5 - Production/Stable",
  "Intended Audience :: Developers",
  "Intended Audience :: Science/Research",
  "Intended Audience :: System Administrators",
  "License :: OSI Approved :: MIT License",
  "License :: OSI Approved :: Apache Software License",
  "License :: OSI Approved :: BSD License",
  "Operating System :: OS Independent",
  "Operating System :: POSIX :: Linux",
  "Programming Language :: Python :: 3",
  "Programming Language :: Python :: 3.10",
  "Programming Language :: Python :: 3.11",
  "Programming Language :: Python :: 3.12",
  "Programming Language :: Python :: 3.13",
  "Typing :: Typed",
  "Framework :: Django",
  "Framework :: Flask",
  "Framework :: FastAPI",
  "Framework :: AsyncIO",
  "Framework :: Pytest",
  "Topic :: Software Development :: Libraries",
  "Topic :: Internet :: WWW/HTTP",
  "Topic :: Database",
  "Topic :: Scientific/Engineering",
  "Topic :: System :: Monitoring",
  "Topic :: Text Processing :: Markup",
  "Topic :: Multimedia :: Graphics",
  "Topic :: Security :: Cryptography",
  "Topic :: Utilities",
];

const runtime = await prepareRuntime({ quiet: true });
const client = new pg.Client({ connectionString: runtime.databaseUrl });
await client.connect();
const started = Date.now();
try {
  await client.query("BEGIN");
  await client.query("SET LOCAL work_mem = '64MB'");
  // Time-ordered ids (PostgreSQL 18's uuidv7) with rows inserted in id order: each index on an id
  // then grows at its end instead of at random pages, which with 2,000,000 files and the default
  // 128 MB of shared buffers otherwise rewrites gigabytes of evicted index pages.
  const newId = (await client.query("SELECT to_regprocedure('uuidv7()') IS NOT NULL AS v7")).rows[0]!.v7
    ? "uuidv7()"
    : "gen_random_uuid()";
  // The same draws for the same arguments on the same database, so a bench is repeatable.
  await client.query("SELECT setseed((SELECT count(*) % 1000 FROM projects) / 1000.0)");
  const owner = await client.query<{ id: string }>(
    `INSERT INTO users (id, username, username_key, email, email_key, password_hash, email_verified_at)
     VALUES (gen_random_uuid(), 'seed-owner', 'seed-owner', 'seed-owner@example.invalid',
             'seed-owner@example.invalid', '!', now())
     ON CONFLICT (username_key) DO UPDATE SET username = EXCLUDED.username RETURNING id`,
  );
  // Names of two or three words (`fast-json`, `redis-cache-kit`), drawn with 50% to spare and kept
  // once per confusable key (confusableSkeleton in lib/packaging/names.ts: separators dropped,
  // l/i → 1, o → 0, rn → m, vv → w), never clashing with a project already there.
  await client.query(
    `CREATE TEMP TABLE seeded ON COMMIT DROP AS
     WITH drawn AS (
       SELECT w[1 + floor(random() * n)::int] || '-' || w[1 + floor(random() * n)::int]
              || CASE WHEN random() < 0.6 THEN '-' || w[1 + floor(random() * n)::int] ELSE '' END AS name
       FROM (SELECT $1::text[] AS w, cardinality($1::text[]) AS n) v, generate_series(1, ceil($2::int * 1.5)::int)
     ), keyed AS (
       SELECT DISTINCT ON (key) name, key
       FROM (
         SELECT name, replace(replace(translate(replace(name, '-', ''), 'lio', '110'), 'rn', 'm'), 'vv', 'w') AS key
         FROM drawn
       ) d
       WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.confusable_key = d.key OR p.normalized_name = d.name)
       ORDER BY key
     )
     SELECT ${newId} AS id, name, key, i
     FROM (SELECT *, row_number() OVER () AS i FROM (SELECT * FROM keyed ORDER BY random() LIMIT $2) r ORDER BY i) k`,
    [WORDS, projects],
  );
  // A summary that uses the name's words and three more; 2–5 keywords; some classifiers, the common
  // ones often and the topics rarely (so filters range from broad to narrow). The array subqueries
  // mention s.i so that PostgreSQL draws them for each row rather than once for all.
  await client.query(
    `INSERT INTO projects (id, name, normalized_name, confusable_key, last_serial, latest_version, summary, keywords,
                           classifiers, updated_at)
     SELECT s.id, s.name, s.name, s.key, s.i, $2 || '.0',
            initcap(replace(s.name, '-', ' ')) || ': '
              || (ARRAY['a', 'a fast', 'a small', 'a simple', 'an async', 'a typed'])[1 + floor(random() * 6)::int]
              || ' ' || w[1 + floor(random() * n)::int] || ' '
              || (ARRAY['library', 'client', 'toolkit', 'framework', 'helper', 'wrapper', 'parser', 'server'])
                   [1 + floor(random() * 8)::int]
              || ' for ' || w[1 + floor(random() * n)::int] || ' and ' || w[1 + floor(random() * n)::int],
            ARRAY(SELECT w[1 + floor(random() * n)::int] FROM generate_series(1, 2 + s.i % 4)),
            ARRAY(SELECT c FROM unnest($3::text[]) WITH ORDINALITY AS t(c, k)
                  WHERE random() < CASE WHEN k <= 17 THEN 0.3 ELSE 0.08 END AND s.i > 0),
            now() - (s.i || ' seconds')::interval
     FROM seeded s, (SELECT $1::text[] AS w, cardinality($1::text[]) AS n) v`,
    [WORDS, releases, CLASSIFIERS],
  );
  // The rows below are consistent by construction (their keys come from the rows just inserted) and
  // those tables have no triggers of their own: a superuser skips the per-row foreign-key checks.
  if ((await client.query("SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper")).rowCount) {
    await client.query("SET LOCAL session_replication_role = replica");
  }
  await client.query("INSERT INTO project_roles (project_id, user_id, role) SELECT id, $1::uuid, 'owner' FROM seeded", [
    owner.rows[0]!.id,
  ]);
  await client.query(
    `INSERT INTO releases (id, project_id, version, canonical_version, summary, keywords, classifiers, requires_dist,
                           provides_extra, created_at)
     SELECT ${newId}, p.id, r || '.0', r::text, p.summary, p.keywords, p.classifiers, '{}', '{}',
            now() - (($1::int - r) || ' days')::interval
     FROM seeded s JOIN projects p ON p.id = s.id, generate_series(1, $1::int) AS r ORDER BY p.id, r`,
    [releases],
  );
  await client.query(
    `WITH inserted AS (INSERT INTO files (id, release_id, project_id, filename, packagetype, python_version, size,
                                         sha256, md5, blake2b_256)
     SELECT ${newId}, r.id, r.project_id,
            replace(s.name, '-', '_') || '-' || r.version || '-py3-none-any'
              || CASE WHEN f = 1 THEN '' ELSE '.' || f END || '.whl',
            'bdist_wheel', 'py3', 1024 * f, md5(r.id::text || f) || md5(f || r.id::text), md5(r.id::text || f),
            md5(f || r.id::text) || md5(r.id::text)
     FROM seeded s JOIN releases r ON r.project_id = s.id, generate_series(1, $1::int) AS f ORDER BY r.id, f
     RETURNING filename)
     INSERT INTO filename_registry (filename) SELECT filename FROM inserted ORDER BY filename ON CONFLICT DO NOTHING`,
    [files],
  );
  const seeded = Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM seeded")).rows[0]!.n);
  await client.query("COMMIT");
  await client.query("ANALYZE");
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `seeded ${seeded} projects, ${seeded * releases} releases, ${seeded * releases * files} files in ${seconds} s`,
  );
} catch (err) {
  await client.query("ROLLBACK").catch(() => {});
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await client.end();
  await runtime.stop();
}
process.exit();

// Everything a Wheelhouse process needs before it serves: the data directory, the database
// (embedded or DATABASE_URL), migrations, the secrets from configuration or the data directory, and
// a file store that answers.
// Used by the server, the admin command line and the test harness alike.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import pg from "pg";
import { config, settle } from "@/lib/config";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { generateKey, open, parseKey, SecretBoxError } from "@/lib/crypto/secret-box";
import { blobStore } from "@/lib/storage";

export interface Runtime {
  databaseUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** A secret from the environment, else from a file in the data directory, created on first use. */
function fileSecret(file: string, make: () => string): string {
  if (!fs.existsSync(file)) fs.writeFileSync(file, make(), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

/**
 * The key for secrets at rest: `configured` (WHEELHOUSE_ENCRYPTION_KEY), else the data directory's.
 * A missing or wrong key must stop start-up: it must never look like "this user has no 2FA".
 */
export async function checkEncryptionKey(
  databaseUrl: string,
  dataDir: string,
  configured: string | undefined,
): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Any one sealed value tells whether the key is right: a TOTP seed, or a queued mail's body
    // (lib/email/outbox.ts), which a new key would leave unsendable.
    const { rows } = await client.query<{ context: string; sealed: string }>(
      `(SELECT 'totp:' || id AS context, totp_secret AS sealed FROM users WHERE totp_secret IS NOT NULL LIMIT 1)
       UNION ALL
       (SELECT 'mail:' || id, body FROM mail_outbox WHERE body IS NOT NULL LIMIT 1)
       LIMIT 1`,
    );
    const file = path.join(dataDir, "encryption-key");
    let encoded = configured;
    if (!encoded && fs.existsSync(file)) encoded = fs.readFileSync(file, "utf8").trim();
    if (!encoded) {
      if (rows.length) {
        throw new Error(
          "WHEELHOUSE_ENCRYPTION_KEY is not set, and the database holds secrets encrypted under a key. " +
            "Set it to the key this database was used with.",
        );
      }
      encoded = fileSecret(file, generateKey);
    }
    const key = parseKey(encoded);
    const sample = rows[0];
    if (sample) {
      try {
        open(key, sample.sealed, sample.context);
      } catch (err) {
        if (err instanceof SecretBoxError) {
          throw new Error(
            "WHEELHOUSE_ENCRYPTION_KEY does not decrypt the secrets in this database: it is the wrong key.",
          );
        }
        throw err;
      }
    }
    return encoded;
  } finally {
    await client.end();
  }
}

/**
 * `onDatabaseLost`: the embedded database died and could not be restarted (see lib/db/embedded.ts).
 * `checkStorage: false` is for processes that never touch stored files (the admin command line):
 * an unreachable bucket must not block account repairs.
 */
export async function prepareRuntime(
  options: { quiet?: boolean; checkStorage?: boolean; onDatabaseLost?: (why: string) => void } = {},
): Promise<Runtime> {
  const cfg = config();
  // Others may traverse but not list it: the embedded server runs as the 'postgres' user and must
  // reach its own folder inside; every secret file in here is 0600 on its own.
  fs.mkdirSync(cfg.dataDir, { recursive: true });
  fs.chmodSync(cfg.dataDir, 0o711);
  const log = (m: string) => options.quiet || console.log(`wheelhouse: ${m}`);

  if (options.checkStorage !== false) {
    // First, before a database is started that would need stopping again: a wrong bucket or
    // credentials would otherwise show only at the first upload or download.
    const store = blobStore();
    await store.check();
    log(store.describe());
  }

  if ("unavailable" in cfg.relyingParty) log(cfg.relyingParty.unavailable);

  let databaseUrl = cfg.DATABASE_URL;
  let stop = async () => {};
  if (!databaseUrl) {
    const embedded = await startEmbeddedPostgres(cfg.dataDir, cfg.EMBEDDED_PG_PORT, options.onDatabaseLost);
    databaseUrl = embedded.url;
    stop = embedded.stop;
    log(`embedded PostgreSQL in ${path.join(cfg.dataDir, "postgres")}`);
  }
  const applied = await migrate(databaseUrl);
  if (applied.length) log(`applied migrations: ${applied.join(", ")}`);

  settle({
    databaseUrl,
    authSecret:
      cfg.AUTH_SECRET ??
      fileSecret(path.join(cfg.dataDir, "auth-secret"), () => crypto.randomBytes(32).toString("base64url")),
    encryptionKey: await checkEncryptionKey(databaseUrl, cfg.dataDir, cfg.WHEELHOUSE_ENCRYPTION_KEY),
  });
  return { databaseUrl, embedded: !cfg.DATABASE_URL, stop };
}

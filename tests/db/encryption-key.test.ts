// A missing or wrong encryption key must stop start-up, never look like "this user has no 2FA".
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { checkEncryptionKey } from "@/lib/runtime/bootstrap";
import { generateKey, parseKey, seal } from "@/lib/crypto/secret-box";

const adminUrl = process.env.TEST_PG_ADMIN_URL!;
const name = `wh_key_${Date.now()}`;
const url = adminUrl.replace(/\/postgres$/, `/${name}`);
const keyA = generateKey();

async function query(text: string, params: unknown[] = [], target = url) {
  const c = new pg.Client({ connectionString: target });
  await c.connect();
  try {
    return await c.query(text, params);
  } finally {
    await c.end();
  }
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "wh-key-"));

describe("the encryption key at start-up", () => {
  beforeAll(async () => {
    await query(`CREATE DATABASE ${name}`, [], adminUrl);
    await migrate(url);
  });
  afterAll(async () => {
    await query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, [], adminUrl);
  });

  it("is generated into the data directory when the database holds no secrets yet", async () => {
    const dir = tempDir();
    const key = await checkEncryptionKey(url, dir, undefined);
    expect(parseKey(key)).toHaveLength(32);
    expect(fs.readFileSync(path.join(dir, "encryption-key"), "utf8").trim()).toBe(key);
    expect(fs.statSync(path.join(dir, "encryption-key")).mode & 0o777).toBe(0o600);
  });

  it("must open the secrets in the database: the right key passes, a wrong or missing one stops start-up", async () => {
    const id = crypto.randomUUID();
    await query(
      `INSERT INTO users (id, username, username_key, email, email_key, password_hash, totp_secret, totp_enabled_at)
       VALUES ($1, 'keyuser', 'keyuser', 'k@example.test', 'k@example.test', 'x', $2, now())`,
      [id, seal(parseKey(keyA), "JBSWY3DPEHPK3PXP", `totp:${id}`)],
    );
    await expect(checkEncryptionKey(url, tempDir(), keyA)).resolves.toBe(keyA);
    await expect(checkEncryptionKey(url, tempDir(), generateKey())).rejects.toThrow(/wrong key/);
    await expect(checkEncryptionKey(url, tempDir(), undefined)).rejects.toThrow(/WHEELHOUSE_ENCRYPTION_KEY is not set/);
    await expect(checkEncryptionKey(url, tempDir(), "too-short")).rejects.toThrow(/32 bytes/);
  });

  it("must open queued mail too: with no TOTP seed left, a sealed mail body still needs its key", async () => {
    await query("DELETE FROM users");
    const id = crypto.randomUUID();
    await query(
      `INSERT INTO mail_outbox (id, recipient, subject, body, next_attempt_at)
       VALUES ($1, 'k@example.test', 'Reset your Wheelhouse password', $2, now())`,
      [id, seal(parseKey(keyA), "a reset link", `mail:${id}`)],
    );
    await expect(checkEncryptionKey(url, tempDir(), keyA)).resolves.toBe(keyA);
    await expect(checkEncryptionKey(url, tempDir(), generateKey())).rejects.toThrow(/wrong key/);
    await expect(checkEncryptionKey(url, tempDir(), undefined)).rejects.toThrow(/WHEELHOUSE_ENCRYPTION_KEY is not set/);
  });
});

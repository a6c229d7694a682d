// Status-like text columns accept exactly the values the code writes (the status_checks
// migration): anything else is refused by PostgreSQL itself, whichever code path wrote it.
import crypto from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";

const id = () => crypto.randomUUID();
const hex = (n: number) => crypto.randomBytes(n / 2).toString("hex");

// One row per column, with `$1` the status value; parents are not needed (see `attempt`).
const COLUMNS: { column: string; valid: string[]; insert: () => [string, unknown[]] }[] = [
  {
    column: "sessions.stage",
    valid: ["pending_2fa", "full"],
    insert: () => [
      `INSERT INTO sessions (id_hash, user_id, stage, expires_at) VALUES ($2, $3, $1, now())`,
      [hex(64), id()],
    ],
  },
  {
    column: "email_tokens.purpose",
    valid: ["verify_email", "password_reset"],
    insert: () => [
      `INSERT INTO email_tokens (token_hash, user_id, purpose, email, expires_at)
       VALUES ($2, $3, $1, 'a@example.test', now())`,
      [hex(64), id()],
    ],
  },
  {
    column: "project_roles.role",
    valid: ["owner", "maintainer"],
    insert: () => [`INSERT INTO project_roles (project_id, user_id, role) VALUES ($2, $3, $1)`, [id(), id()]],
  },
  {
    column: "role_invitations.role",
    valid: ["owner", "maintainer"],
    insert: () => [
      `INSERT INTO role_invitations (id, project_id, invitee_id, role, expires_at) VALUES ($2, $3, $4, $1, now())`,
      [id(), id(), id()],
    ],
  },
  {
    column: "files.packagetype",
    valid: ["bdist_wheel", "sdist"],
    insert: () => [
      `INSERT INTO files (id, release_id, project_id, filename, packagetype, python_version, size, sha256, md5,
                          blake2b_256)
       VALUES ($2, $3, $4, $5, $1, 'py3', 1, $6, $7, $6)`,
      [id(), id(), id(), `x-${hex(8)}.tar.gz`, hex(64), hex(32)],
    ],
  },
];

/** The SQLSTATE of one insert, or "ok"; rolled back either way. Foreign keys are not checked here. */
async function attempt(sql: string, params: unknown[]): Promise<string> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query("BEGIN");
    // Foreign keys are triggers, which this skips; CHECK constraints still apply.
    await client.query("SET LOCAL session_replication_role = replica");
    await client.query(sql, params);
    return "ok";
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    await client.end();
  }
}

describe("status columns", () => {
  for (const { column, valid, insert } of COLUMNS) {
    it(`${column} takes ${valid.join(" and ")}, and refuses anything else`, async () => {
      for (const value of valid) {
        const [sql, params] = insert();
        expect(await attempt(sql, [value, ...params])).toBe("ok");
      }
      for (const value of ["bogus", "", valid[0]!.toUpperCase()]) {
        const [sql, params] = insert();
        expect(await attempt(sql, [value, ...params]), value).toBe("23514"); // check_violation
      }
    });
  }
});

// The mail outbox (lib/email/outbox.ts) against a real SMTP listener: mail is queued with the change
// it tells, survives a mail server that is down, is delivered exactly once when it is back, and its
// body (password-reset links) is never readable in the database or the log. This file has a
// database of its own: the delivery loop takes every due row, and other files' rows are theirs.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { db, pool } from "@/lib/db/client";
import { createUser } from "@/lib/accounts/users";
import { requestPasswordReset } from "@/lib/accounts/password-reset";
import { encryptionKey } from "@/lib/crypto/keys";
import { open } from "@/lib/crypto/secret-box";
import { deliverDue, firstAttemptsSettled, queueMail, sendQueued, waitingMail } from "@/lib/email/outbox";
import { requestInfo, STRONG_PASSWORD, uniqueIdentity } from "../unit/helpers";

const adminUrl = process.env.TEST_PG_ADMIN_URL!;
const name = `wh_outbox_${Date.now()}`;
process.env.DATABASE_URL = adminUrl.replace(/\/postgres$/, `/${name}`);
process.env.WHEELHOUSE_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "wh-outbox-"));

/** A port nothing listens on until `startSmtp`: connections to it are refused. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const smtpPort = await freePort();
process.env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;

interface Received {
  to: string;
  subject: string;
  text: string;
}
const received: Received[] = [];
let smtp: SMTPServer | undefined;

async function startSmtp(): Promise<void> {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      void simpleParser(stream).then((mail) => {
        const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(", ") : (mail.to?.text ?? "");
        received.push({ to, subject: mail.subject ?? "", text: mail.text ?? "" });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp!.listen(smtpPort, "127.0.0.1", resolve));
}

const receivedBy = (to: string) => received.filter((m) => m.to === to);
const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

async function rowsTo(recipient: string) {
  return db().mailOutbox.findMany({ where: { recipient }, orderBy: { createdAt: "asc" } });
}

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  await migrate(process.env.DATABASE_URL!);
});

afterAll(async () => {
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  await pool().end();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

describe("with the mail server down", () => {
  it("a password reset still succeeds; its mail waits with the error, then goes out exactly once", async () => {
    const user = { ...uniqueIdentity("down"), password: STRONG_PASSWORD, verified: true };
    const created = await createUser(user, null);
    if (!created.ok) throw new Error(JSON.stringify(created));
    const logged = vi.spyOn(console, "error");

    expect(await requestPasswordReset(user.username, requestInfo())).toEqual({ ok: true });
    await firstAttemptsSettled();

    const [waiting, ...others] = await rowsTo(user.email);
    expect(others).toHaveLength(0);
    expect(waiting).toMatchObject({ subject: "Reset your Wheelhouse password", attempts: 1, sentAt: null });
    expect(waiting!.lastError).toMatch(/ECONNREFUSED/);
    // One line for the failure, naming the message but not its link.
    const lines = logged.mock.calls.map((c) => c.join(" ")).filter((l) => l.includes(waiting!.id));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/not delivered \(attempt 1\)/);
    const link = /reset-password\/confirm\?token=\S+/.exec(
      open(encryptionKey(), waiting!.body!, `mail:${waiting!.id}`),
    );
    expect(link).not.toBeNull();
    expect(lines[0]).not.toContain(link![0]);
    logged.mockRestore();

    // What `npm run admin -- mail-queue` shows an operator.
    expect(await waitingMail()).toEqual([
      expect.objectContaining({ id: waiting!.id, recipient: user.email, attempts: 1, lastError: waiting!.lastError }),
    ]);

    // Not due again for a minute: a loop round now leaves it alone.
    expect(await deliverDue()).toEqual({ sent: 0, failed: 0 });

    await startSmtp();
    expect(await deliverDue(later(2))).toEqual({ sent: 1, failed: 0 });
    expect(await deliverDue(later(3 * 24 * 60))).toEqual({ sent: 0, failed: 0 });
    const mails = receivedBy(user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("Reset your Wheelhouse password");
    expect(mails[0]!.text).toContain(link![0]);

    expect(await waitingMail()).toEqual([]);
    // What an operator still sees: who, what and when, without the body.
    const [sent] = await rowsTo(user.email);
    expect(sent).toMatchObject({ attempts: 2, body: null, lastError: null });
    expect(sent!.sentAt).toBeInstanceOf(Date);
  });
});

describe("queued mail", () => {
  beforeAll(async () => {
    if (!smtp) await startSmtp();
  });

  it("is never sent when the transaction that queued it rolls back", async () => {
    const to = uniqueIdentity("rollback").email;
    let queued: string | undefined;
    await expect(
      db().$transaction(async (tx) => {
        queued = await queueMail(tx, { to, subject: "never", text: "the change failed" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    sendQueued([queued!]);
    await firstAttemptsSettled();
    await deliverDue(later(3 * 24 * 60));
    expect(await rowsTo(to)).toHaveLength(0);
    expect(receivedBy(to)).toHaveLength(0);
  });

  it("is sent once when it commits, by the first attempt, with its body sealed until then", async () => {
    const to = uniqueIdentity("sealed").email;
    const secret = "https://wheelhouse.test/account/verify-email?token=s3cr3t-t0ken";
    const id = await db().$transaction((tx) => queueMail(tx, { to, subject: "Verify", text: `Open ${secret}` }));
    const [stored] = await rowsTo(to);
    expect(stored!.body).not.toContain("s3cr3t");
    expect(stored!.body).not.toContain("verify-email");
    expect(JSON.stringify(stored)).not.toContain("s3cr3t");
    sendQueued([id]);
    sendQueued([id]);
    await firstAttemptsSettled();
    await deliverDue(later(3 * 24 * 60));
    expect(receivedBy(to).map((m) => m.text.trim())).toEqual([`Open ${secret}`]);
  });

  it("goes out exactly once when first attempts and several delivery loops race for it", async () => {
    const to = uniqueIdentity("race").email;
    const subjects = Array.from({ length: 45 }, (_, i) => `race ${i}`);
    const ids = await db().$transaction(async (tx) => {
      const queued: string[] = [];
      for (const subject of subjects) queued.push(await queueMail(tx, { to, subject, text: subject }));
      return queued;
    });
    sendQueued(ids.slice(0, 20));
    await Promise.all([deliverDue(later(2)), deliverDue(later(2)), deliverDue(later(2))]);
    await firstAttemptsSettled();
    await deliverDue(later(3 * 24 * 60));
    expect(
      receivedBy(to)
        .map((m) => m.subject)
        .sort(),
    ).toEqual([...subjects].sort());
    expect(await db().mailOutbox.count({ where: { recipient: to, sentAt: null } })).toBe(0);
  });
});

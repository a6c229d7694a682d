// The mail outbox. Every message Wheelhouse sends is first a row of mail_outbox, written in the
// transaction of the change it tells about: a change that rolls back sends nothing, one that
// commits always sends, even if the mail server is down at that moment. Right after commit the
// process that queued it makes the first attempt (`sendQueued`), so mail is as quick as a direct
// send; whatever that attempt did not deliver, the delivery loop of any server process retries with
// backoff (`deliverDue`). Rows are claimed with FOR UPDATE SKIP LOCKED, so several processes never
// send one message twice. Bodies can hold single-use links: sealed at rest, dropped once sent.
import "server-only";
import crypto from "node:crypto";
import { pool } from "@/lib/db/client";
import { encryptionKey } from "@/lib/crypto/keys";
import { open, seal } from "@/lib/crypto/secret-box";
import type { Prisma } from "@/lib/generated/prisma/client";
import { deliver, type Message } from "./mailer";

/** The queuing process has this long for its first attempt before the loop may take the message over. */
const FIRST_ATTEMPT_MS = 60_000;
/** A claimed row is left alone this long: far more than one attempt can take (mailer.ts bounds it). */
const CLAIM_MS = 15 * 60_000;
/** The wait after the 1st, 2nd, ... failed attempt; the last one repeats, so a message is tried daily. */
export const BACKOFF_MS = [1, 5, 30, 120, 360, 1440].map((minutes) => minutes * 60_000);
/** Sent rows keep their recipient, subject and times this long, for an operator to look at. */
const KEEP_SENT_MS = 7 * 24 * 60 * 60_000;
const LOOP_EVERY_MS = 30_000;
const BATCH = 20;

/** Binds a sealed body to its row: copied to another row, it no longer opens. */
const sealContext = (id: string) => `mail:${id}`;

/** Queues `message` in the caller's transaction; returns its id for `sendQueued` after commit. */
export async function queueMail(tx: Prisma.TransactionClient, message: Message, now = new Date()): Promise<string> {
  const id = crypto.randomUUID();
  await tx.mailOutbox.create({
    data: {
      id,
      recipient: message.to,
      subject: message.subject,
      body: seal(encryptionKey(), message.text, sealContext(id)),
      nextAttemptAt: new Date(now.getTime() + FIRST_ATTEMPT_MS),
    },
  });
  return id;
}

interface Claimed {
  id: string;
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
}

/**
 * Takes up to BATCH unsent rows that match `where` for this process: each gets its attempt counted
 * and is left alone by every other process for CLAIM_MS (unless this one records the outcome first).
 */
async function claim(where: string, params: unknown[], now: Date): Promise<Claimed[]> {
  const n = params.length;
  const { rows } = await pool().query<Claimed>(
    `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $${n + 1}
      WHERE id IN (SELECT id FROM mail_outbox WHERE sent_at IS NULL AND ${where}
                   ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
      RETURNING id, recipient, subject, body, attempts`,
    [...params, new Date(now.getTime() + CLAIM_MS)],
  );
  return rows;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

/** One attempt at a claimed row; the outcome is recorded, a failure logged once (never the body). */
async function attempt(row: Claimed, now: Date): Promise<boolean> {
  try {
    await deliver({
      to: row.recipient,
      subject: row.subject,
      text: open(encryptionKey(), row.body, sealContext(row.id)),
    });
  } catch (err) {
    const why = errorText(err);
    // Counted from when the attempt ended: a round of slow failures must not leave its rows due at once.
    const next = new Date(
      Math.max(now.getTime(), Date.now()) + BACKOFF_MS[Math.min(row.attempts, BACKOFF_MS.length) - 1]!,
    );
    await pool().query("UPDATE mail_outbox SET last_error = $2, next_attempt_at = $3 WHERE id = $1", [
      row.id,
      why,
      next,
    ]);
    console.error(
      `wheelhouse: mail ${row.id} ("${row.subject}") not delivered (attempt ${row.attempts}), ` +
        `next attempt at ${next.toISOString()}: ${why}`,
    );
    return false;
  }
  await pool().query("UPDATE mail_outbox SET sent_at = now(), body = NULL, last_error = NULL WHERE id = $1", [row.id]);
  return true;
}

async function attemptAll(rows: Claimed[], now: Date): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  for (const row of rows) if (await attempt(row, now)) sent++;
  return { sent, failed: rows.length - sent };
}

const firstAttempts = new Set<Promise<void>>();

/**
 * The first attempt at messages this process queued, once their transaction committed. It runs in
 * the background: the request that queued them does not wait for the mail server.
 */
export function sendQueued(ids: string[]): void {
  if (!ids.length) return;
  const now = new Date();
  const run = claim("id = ANY($1::uuid[]) AND attempts = 0", [ids], now)
    .then((rows) => attemptAll(rows, now))
    .then(
      () => {},
      // The rows stay queued: the delivery loop takes them over.
      (err: unknown) => console.error(`wheelhouse: could not send queued mail yet: ${errorText(err)}`),
    )
    .finally(() => firstAttempts.delete(run));
  firstAttempts.add(run);
}

/** Resolves once this process's first attempts have ended (before a command-line process exits, in tests). */
export async function firstAttemptsSettled(): Promise<void> {
  while (firstAttempts.size) await Promise.all([...firstAttempts]);
}

/** One round of the delivery loop: every due message, then sent rows past their keeping time. */
export async function deliverDue(now = new Date()): Promise<{ sent: number; failed: number }> {
  const total = { sent: 0, failed: 0 };
  for (;;) {
    const rows = await claim("next_attempt_at <= $1", [now], now);
    const { sent, failed } = await attemptAll(rows, now);
    total.sent += sent;
    total.failed += failed;
    if (rows.length < BATCH) break;
  }
  await pool().query("DELETE FROM mail_outbox WHERE sent_at < $1", [new Date(now.getTime() - KEEP_SENT_MS)]);
  return total;
}

/** Runs `deliverDue` now and every LOOP_EVERY_MS in this process; returns a stop function. */
export function deliverPeriodically(): () => void {
  let running: Promise<void> | null = null;
  let lastProblem = "";
  const tick = () => {
    // A slow round (a mail server timing out) is not overlapped by the next.
    running ??= deliverDue()
      .then(
        () => void (lastProblem = ""),
        (err: unknown) => {
          // The database being away is said once, not every round until it is back.
          const why = errorText(err);
          if (why !== lastProblem) console.error(`wheelhouse: mail delivery round failed (retried): ${why}`);
          lastProblem = why;
        },
      )
      .finally(() => (running = null));
  };
  tick();
  const timer = setInterval(tick, LOOP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

export interface WaitingMail {
  id: string;
  recipient: string;
  subject: string;
  createdAt: Date;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
}

/** What has not been delivered yet, oldest first, for an operator (`npm run admin -- mail-queue`). */
export async function waitingMail(limit = 200): Promise<WaitingMail[]> {
  const { rows } = await pool().query<WaitingMail>(
    `SELECT id, recipient, subject, created_at AS "createdAt", attempts, next_attempt_at AS "nextAttemptAt",
            last_error AS "lastError"
       FROM mail_outbox WHERE sent_at IS NULL ORDER BY created_at, id LIMIT $1`,
    [limit],
  );
  return rows;
}

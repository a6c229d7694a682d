// Accounts as the account tests need them: with or without TOTP enrolled through the real
// enrolment, and codes for any moment (a fixed clock, never a wait for the next time step). And
// what the atomicity tests check with: a history that refuses an account's rows, and what a change
// left in the history and the mail outbox.
import crypto from "node:crypto";
import { expect } from "vitest";
import { generate } from "otplib";
import { db } from "@/lib/db/client";
import type { EventName } from "@/lib/events/catalogue";
import { createUser } from "@/lib/accounts/users";
import { beginTotpEnrolment, confirmTotpEnrolment } from "@/lib/accounts/two-factor";
import { requestInfo, STRONG_PASSWORD, sudoSession, suffix, uniqueIdentity } from "../unit/helpers";

// TOTP secrets are stored encrypted; a key of this run's own.
process.env.WHEELHOUSE_ENCRYPTION_KEY ??= crypto.randomBytes(32).toString("base64");

export const after = (base: Date, ms: number) => new Date(base.getTime() + ms);
export const codeAt = (secret: string, when: Date) => generate({ secret, epoch: Math.floor(when.getTime() / 1000) });

export async function verifiedUser(prefix = "acct") {
  const r = await createUser({ ...uniqueIdentity(prefix), password: STRONG_PASSWORD, verified: true }, null);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.user;
}

/** A verified user with TOTP enrolled at `t0`: later codes must come from later time steps. */
export async function enrolledUser(t0 = new Date(), prefix = "acct") {
  const user = await verifiedUser(prefix);
  const session = await sudoSession(user.id);
  const enrolment = await beginTotpEnrolment(session);
  if (!enrolment.ok) throw new Error(enrolment.code);
  const { secret } = enrolment;
  const confirmed = await confirmTotpEnrolment(session, await codeAt(secret, t0), requestInfo(), t0);
  if (!confirmed.ok) throw new Error(JSON.stringify(confirmed));
  return { user, secret, recoveryCodes: confirmed.recoveryCodes };
}

/** A six-digit code that none of the time steps accepted at `when` would produce. */
export async function wrongCodeAt(secret: string, when: Date): Promise<string> {
  const valid = new Set(await Promise.all([-30_000, 0, 30_000].map((d) => codeAt(secret, after(when, d)))));
  for (let n = 123_456; ; n++) {
    const candidate = String(n % 1_000_000).padStart(6, "0");
    if (!valid.has(candidate)) return candidate;
  }
}

/**
 * Runs `fn`, which must fail for it, while every insert into `userId`'s security history fails (or,
 * for an account that does not exist yet, every one from the address `ip`); with `tag`, only the
 * rows of that event: a flow's last row, so that everything it wrote before must roll back too.
 */
export async function withHistoryRefused(
  whose: string | { ip: string },
  fn: () => Promise<unknown>,
  tag?: EventName,
): Promise<void> {
  const rows = [
    typeof whose === "string" ? `NEW.user_id = '${whose}'::uuid` : `NEW.ip = '${whose.ip}'`,
    ...(tag ? [`NEW.tag = '${tag}'`] : []),
  ].join(" AND ");
  const fail = `wh_refuse_history_${suffix()}`;
  await db().$executeRawUnsafe(
    `CREATE FUNCTION ${fail}() RETURNS trigger LANGUAGE plpgsql
     AS $$ BEGIN RAISE EXCEPTION 'history unavailable'; END $$`,
  );
  await db().$executeRawUnsafe(
    `CREATE TRIGGER ${fail} BEFORE INSERT ON security_events FOR EACH ROW
     WHEN (${rows}) EXECUTE FUNCTION ${fail}()`,
  );
  try {
    await expect(fn()).rejects.toThrow(/history unavailable/);
  } finally {
    await db().$executeRawUnsafe(`DROP TRIGGER ${fail} ON security_events`);
    await db().$executeRawUnsafe(`DROP FUNCTION ${fail}()`);
  }
}

/** What a change leaves besides itself: the account's history tags and its queued mail's subjects. */
export async function trail(userId: string) {
  const { email } = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  const events = await db().securityEvent.findMany({
    where: { userId },
    select: { tag: true },
    orderBy: { id: "asc" },
  });
  const mail = await db().mailOutbox.findMany({
    where: { recipient: email },
    select: { subject: true },
    orderBy: { createdAt: "asc" },
  });
  return { events: events.map((e) => e.tag), mail: mail.map((m) => m.subject) };
}

/** The history tags and mail subjects added since `before` (the mail sorted: one transaction's share a time). */
export async function addedSince(userId: string, before: Awaited<ReturnType<typeof trail>>) {
  const now = await trail(userId);
  return { events: now.events.slice(before.events.length), mail: now.mail.slice(before.mail.length).sort() };
}

export const notice = (says: string) => `Wheelhouse security notice: ${says}`;

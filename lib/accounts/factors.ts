// A user's second factors taken together. The authenticator app and security keys are separate
// rows, but "2FA is on" is one fact (users.two_factor_enabled_at): every change to the set of
// factors goes through changeFactors, which keeps that fact in step, hands out recovery codes when
// the first factor arrives, drops them when the last one leaves, and ends the other sessions on
// either transition. One lock on the user's row serialises concurrent changes, so two sessions
// removing "the other" factor at once cannot leave 2FA half on. The change's history rows and emails
// are written in that same transaction (`record`): a change is never left without its notice.
import "server-only";
import { cache } from "react";
import { db, type Prisma } from "@/lib/db/client";
import type { RequestInfo } from "@/lib/http/request-info";
import { generateRecoveryCodes, hashRecoveryCode } from "./recovery-codes";
import { sendQueued } from "@/lib/email/outbox";
import { recordEventIn } from "./events";
import { voidOutstandingLinks } from "./email-links";

type Tx = Prisma.TransactionClient;

export interface FactorCount {
  app: boolean;
  keys: number;
}

export const totalFactors = (f: FactorCount) => (f.app ? 1 : 0) + f.keys;

// One statement: the account pages ask on every view (the sudo gate, the security page).
async function countFactors(tx: Tx, userId: string): Promise<FactorCount> {
  const [row] = await tx.$queryRaw<FactorCount[]>`
    SELECT u.totp_enabled_at IS NOT NULL AS app,
           (SELECT count(*) FROM security_keys k WHERE k.user_id = u.id)::int AS keys
    FROM users u WHERE u.id = ${userId}::uuid`;
  if (!row) throw new Error(`no user ${userId}`);
  return row;
}

export interface FactorChange<T> {
  result: T;
  /** Set when this change turned 2FA on or off. */
  transition: "enabled" | "disabled" | null;
  /** New recovery codes, when 2FA was just turned on (shown once). */
  recoveryCodes?: string[];
  sessionsRevoked: number;
}

/**
 * Runs `change` (which adds or removes factors through `tx`) and applies its consequences in the
 * same transaction. `change` sees the factors as they were and may refuse by returning without
 * writing. Sessions other than `keepIdHash` end on a transition (all of them without it). `record`
 * writes the history rows and queues the emails of what was done, in the same transaction (it is
 * called on a refusal too, and then writes nothing); the emails go once it commits.
 */
export async function changeFactors<T>(
  userId: string,
  change: (tx: Tx, before: FactorCount) => Promise<T>,
  options: { keepIdHash?: string; now?: Date; record?: (tx: Tx, done: FactorChange<T>) => Promise<string[]> } = {},
): Promise<FactorChange<T>> {
  const { done, mail } = await db().$transaction(async (tx) => {
    const done = await applyChange(tx, userId, change, options.keepIdHash, options.now ?? new Date());
    return { done, mail: options.record ? await options.record(tx, done) : [] };
  });
  sendQueued(mail);
  return done;
}

async function applyChange<T>(
  tx: Tx,
  userId: string,
  change: (tx: Tx, before: FactorCount) => Promise<T>,
  keepIdHash: string | undefined,
  now: Date,
): Promise<FactorChange<T>> {
  await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
  const wasOn =
    (await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { twoFactorEnabledAt: true } }))
      .twoFactorEnabledAt !== null;
  const result = await change(tx, await countFactors(tx, userId));
  // Any change of second factor voids every emailed link of the account (a refused change too: harmless).
  await voidOutstandingLinks(tx, userId);
  const isOn = totalFactors(await countFactors(tx, userId)) > 0;
  if (wasOn === isOn) return { result, transition: null, sessionsRevoked: 0 };

  let recoveryCodes: string[] | undefined;
  await tx.recoveryCode.deleteMany({ where: { userId } });
  if (isOn) {
    recoveryCodes = generateRecoveryCodes();
    await tx.recoveryCode.createMany({ data: recoveryCodes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })) });
    await tx.user.update({ where: { id: userId }, data: { twoFactorEnabledAt: now } });
  } else {
    await tx.user.update({
      where: { id: userId },
      data: {
        twoFactorEnabledAt: null,
        totpSecret: null,
        totpPendingSecret: null,
        totpEnabledAt: null,
        totpLastTimeStep: null,
      },
    });
  }
  // A session signed in before the change was made under the old rules: turning 2FA on must not
  // leave a password-only session (perhaps a thief's) signed in, nor turning it off a stale one.
  const { count } = await tx.session.deleteMany({
    where: { userId, ...(keepIdHash ? { idHash: { not: keepIdHash } } : {}) },
  });
  return { result, transition: isOn ? "enabled" : "disabled", recoveryCodes, sessionsRevoked: count };
}

/** What a valid second factor leads to (a signed-in session), in the transaction that spends it; returns its mail. */
export type AfterFactor = (tx: Tx) => Promise<string[]>;

/**
 * Spends a second factor that checked out, in one transaction with what it leads to (`onSpent`):
 * `spend` returns the mail it queued, or null when a racing use spent the factor first, and then
 * nothing is written. False when the race was lost.
 */
export async function spendFactor(
  spend: (tx: Tx) => Promise<string[] | null>,
  onSpent?: AfterFactor,
): Promise<boolean> {
  const mail = await db().$transaction(async (tx) => {
    const spent = await spend(tx);
    return spent && [...spent, ...((await onSpent?.(tx)) ?? [])];
  });
  if (!mail) return false;
  sendQueued(mail);
  return true;
}

/** The history entry and email for a transition, if there was one (shared by the app and security keys). */
export async function announceTransition(
  tx: Tx,
  userId: string,
  change: Pick<FactorChange<unknown>, "transition" | "sessionsRevoked">,
  info: RequestInfo,
  method?: "totp" | "security_key",
): Promise<string[]> {
  const details = { ...(method ? { method } : {}), sessionsRevoked: change.sessionsRevoked };
  if (change.transition === "enabled") return recordEventIn(tx, userId, "2fa:enabled", info, details);
  if (change.transition === "disabled") return recordEventIn(tx, userId, "2fa:disabled", info, details);
  return [];
}

/**
 * How many factors of each kind an account has, for pages: read once per request (the security
 * page and the sudo gate inside it both ask).
 */
export const factorsOf = cache((userId: string): Promise<FactorCount> => countFactors(db(), userId));

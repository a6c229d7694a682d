// Second factors: enrolment, verification and removal. Every method answers the same `verify`, so
// the sign-in step and sudo mode treat the app, recovery codes and security keys alike.
import "server-only";
import { db, type Prisma } from "@/lib/db/client";
import { open, seal } from "@/lib/crypto/secret-box";
import { encryptionKey } from "@/lib/crypto/keys";
import { attempt, hitLimit, LIMITS, refundLimit } from "@/lib/security/rate-limit";
import type { RequestInfo } from "@/lib/http/request-info";
import type { ErrorCode } from "@/lib/errors";
import { accountRefusalCode } from "@/lib/authz/facts";
import { sendQueued } from "@/lib/email/outbox";
import { recordEvent, recordEventIn } from "./events";
import { checkTotp, groupSecret, newTotpSecret, totpUri } from "./totp";
import { generateRecoveryCodes, hashRecoveryCode, normaliseRecoveryCode } from "./recovery-codes";
import type { ActiveSession } from "./sessions";
import { announceTransition, changeFactors, spendFactor, type AfterFactor, type FactorChange } from "./factors";
import { voidOutstandingLinks } from "./email-links";
import { MAX_RESPONSE_CHARS, verifyKeyAssertion } from "./security-keys";

const secretContext = (userId: string) => `totp:${userId}`;

export type SecondFactorResult = { ok: true; method: MethodId } | { ok: false; code: ErrorCode; retryAt?: Date };

type MethodId = "totp" | "recovery_code" | "security_key";

interface VerifyContext {
  info: RequestInfo;
  now: Date;
  /** The idHash of the session (pending or full) that asked: security-key challenges are bound to it. */
  binding?: string;
  /** What the factor leads to, committed with its spending (lib/accounts/factors.ts `spendFactor`). */
  onSpent?: AfterFactor;
}

interface Method {
  id: MethodId;
  /** Whether `input` is meant for this method (a 6-digit code, a recovery code, a key's answer). */
  accepts(input: string): boolean;
  /** Longest input this method reads. */
  maxLength: number;
  verify(userId: string, input: string, ctx: VerifyContext): Promise<SecondFactorResult>;
}

const totpMethod: Method = {
  id: "totp",
  accepts: (input) => /^\d{6}$/.test(input.replace(/\s+/g, "")),
  maxLength: 100,
  async verify(userId, input, { now, onSpent }) {
    const user = await db().user.findUnique({
      where: { id: userId },
      select: { totpSecret: true, totpLastTimeStep: true },
    });
    if (!user?.totpSecret) return { ok: false, code: "invalid_code" };
    const secret = open(encryptionKey(), user.totpSecret, secretContext(userId));
    const check = await checkTotp(secret, input, user.totpLastTimeStep, now);
    if (!check.ok) return { ok: false, code: check.reason === "reused" ? "code_reused" : "invalid_code" };
    const spent = await spendFactor(async (tx) => {
      // Conditional update: of two concurrent requests with the same code, only one wins.
      const { count } = await tx.user.updateMany({
        where: { id: userId, OR: [{ totpLastTimeStep: null }, { totpLastTimeStep: { lt: check.timeStep } }] },
        data: { totpLastTimeStep: check.timeStep },
      });
      return count === 1 ? [] : null;
    }, onSpent);
    return spent ? { ok: true, method: "totp" } : { ok: false, code: "code_reused" };
  },
};

const recoveryCodeMethod: Method = {
  id: "recovery_code",
  accepts: (input) => normaliseRecoveryCode(input) !== null,
  maxLength: 100,
  async verify(userId, input, { info, onSpent }) {
    const code = normaliseRecoveryCode(input);
    if (!code) return { ok: false, code: "invalid_code" };
    const spent = await spendFactor(async (tx) => {
      const { count } = await tx.recoveryCode.updateMany({
        where: { userId, codeHash: hashRecoveryCode(code), usedAt: null },
        data: { usedAt: new Date() },
      });
      if (count !== 1) return null;
      const remaining = await tx.recoveryCode.count({ where: { userId, usedAt: null } });
      return recordEventIn(tx, userId, "2fa:recovery-code-used", info, { remaining });
    }, onSpent);
    return spent ? { ok: true, method: "recovery_code" } : { ok: false, code: "invalid_code" };
  },
};

/** A security key's answer: the JSON @simplewebauthn/browser produces, checked in security-keys.ts. */
const securityKeyMethod: Method = {
  id: "security_key",
  accepts: (input) => input.trimStart().startsWith("{"),
  maxLength: MAX_RESPONSE_CHARS,
  async verify(userId, input, { info, now, binding, onSpent }) {
    if (!binding) return { ok: false, code: "key_challenge_expired" };
    const result = await verifyKeyAssertion(userId, input, binding, info, now, onSpent);
    return result.ok ? { ok: true, method: "security_key" } : result;
  },
};

const METHODS: Method[] = [totpMethod, recoveryCodeMethod, securityKeyMethod];

/**
 * Checks a second factor (an app code, a recovery code or a security key's answer to the challenge
 * issued to the session `binding`) for an account with 2FA on, under per-account and per-IP limits.
 * A valid one is spent in one transaction with what it leads to, `onSpent` (the signed-in session of
 * the sign-in step); should that fail, the factor stays unspent and the error is thrown.
 */
export async function verifySecondFactor(
  userId: string,
  input: string,
  info: RequestInfo,
  now = new Date(),
  binding?: string,
  onSpent?: (tx: Prisma.TransactionClient, method: MethodId) => Promise<string[]>,
): Promise<SecondFactorResult> {
  const ipKey = info.ip ?? "unknown";
  const state = await attempt(
    [
      [LIMITS.totpPerAccount, userId],
      [LIMITS.totpPerIp, ipKey],
    ],
    now,
  );
  if (state.limited) return { ok: false, code: "rate_limited", retryAt: state.retryAt };
  const method = METHODS.find((m) => input.length <= m.maxLength && m.accepts(input));
  const result = method
    ? await method.verify(userId, input, { info, now, binding, onSpent: onSpent && ((tx) => onSpent(tx, method.id)) })
    : { ok: false as const, code: "invalid_code" as const };
  if (result.ok) {
    await refundLimit(LIMITS.totpPerAccount, userId);
    await refundLimit(LIMITS.totpPerIp, ipKey);
  } else {
    // Its own transaction: a refused code has nothing to roll back with, and is recorded all the same.
    await recordEvent(userId, "2fa:failure", info, { reason: result.code });
  }
  return result;
}

export interface Enrolment {
  secret: string;
  groupedSecret: string;
  uri: string;
}

type Refusal = { ok: false; code: ErrorCode; retryAt?: Date };

/** Adding a factor needs a fresh confirmation and a verified address (lib/authz/policy.ts). */
function enrolmentProblem(session: ActiveSession, now: Date): ErrorCode | null {
  return accountRefusalCode("account:2fa:enrol", session, now);
}

/** Starts (or resumes) enrolment: a pending secret that becomes active only once a code confirms it. */
export async function beginTotpEnrolment(
  session: ActiveSession,
  now = new Date(),
): Promise<({ ok: true } & Enrolment) | Refusal> {
  const problem = enrolmentProblem(session, now);
  if (problem) return { ok: false, code: problem };
  const userId = session.user.id;
  const user = await db().user.findUniqueOrThrow({
    where: { id: userId },
    select: { username: true, totpPendingSecret: true, totpEnabledAt: true },
  });
  if (user.totpEnabledAt) return { ok: false, code: "app_already_enrolled" };
  let secret: string;
  if (user.totpPendingSecret) {
    secret = open(encryptionKey(), user.totpPendingSecret, secretContext(userId));
  } else {
    secret = newTotpSecret();
    await db().user.update({
      where: { id: userId },
      data: { totpPendingSecret: seal(encryptionKey(), secret, secretContext(userId)) },
    });
  }
  return { ok: true, secret, groupedSecret: groupSecret(secret), uri: totpUri(secret, user.username) };
}

/**
 * Confirms enrolment with a code from the app. When it is the account's first second factor, 2FA
 * turns on: recovery codes are returned (shown once) and every other session ends.
 */
export async function confirmTotpEnrolment(
  session: ActiveSession,
  code: string,
  info: RequestInfo,
  now = new Date(),
): Promise<{ ok: true; recoveryCodes?: string[] } | Refusal> {
  const problem = enrolmentProblem(session, now);
  if (problem) return { ok: false, code: problem };
  const userId = session.user.id;
  const limited = await hitLimit(LIMITS.totpPerAccount, userId, now);
  if (limited.limited) return { ok: false, code: "rate_limited", retryAt: limited.retryAt };
  const user = await db().user.findUniqueOrThrow({
    where: { id: userId },
    select: { totpPendingSecret: true, totpEnabledAt: true },
  });
  if (user.totpEnabledAt || !user.totpPendingSecret) return { ok: false, code: "invalid_code" };
  const pending = user.totpPendingSecret;
  const check = await checkTotp(open(encryptionKey(), pending, secretContext(userId)), code, null, now);
  if (!check.ok) return { ok: false, code: "invalid_code" };
  await refundLimit(LIMITS.totpPerAccount, userId);
  const change = await changeFactors(
    userId,
    async (tx) => {
      // Conditional: of two confirmations racing, one enrols the app.
      const { count } = await tx.user.updateMany({
        where: { id: userId, totpEnabledAt: null, totpPendingSecret: pending },
        data: { totpSecret: pending, totpPendingSecret: null, totpEnabledAt: now, totpLastTimeStep: check.timeStep },
      });
      return count === 1;
    },
    {
      keepIdHash: session.idHash,
      now,
      record: async (tx, done) => {
        if (!done.result) return [];
        if (done.transition === "enabled") return announceTransition(tx, userId, done, info, "totp");
        return recordEventIn(tx, userId, "2fa:app-added", info);
      },
    },
  );
  if (!change.result) return { ok: false, code: "invalid_code" };
  return { ok: true, recoveryCodes: change.recoveryCodes };
}

/**
 * Removes the authenticator app and keeps the security keys. When the app is the last factor this
 * turns 2FA off, which the caller must have shown and confirmed (`turnOff`).
 */
export async function removeAuthenticatorApp(
  session: ActiveSession,
  turnOff: boolean,
  info: RequestInfo,
  now = new Date(),
): Promise<{ ok: true; turnedOff: boolean } | Refusal> {
  const refused = accountRefusalCode("account:2fa:change", session, now);
  if (refused) return { ok: false, code: refused };
  const userId = session.user.id;
  const change = await changeFactors(
    userId,
    async (tx, before): Promise<ErrorCode | null> => {
      if (!before.app) return "invalid_code";
      if (before.keys === 0 && !turnOff) return "last_factor";
      await tx.user.update({
        where: { id: userId },
        data: { totpSecret: null, totpEnabledAt: null, totpLastTimeStep: null },
      });
      return null;
    },
    {
      keepIdHash: session.idHash,
      now,
      record: async (tx, done) =>
        done.result
          ? []
          : [
              // Its own email only while keys remain: turning 2FA off has an email of its own.
              ...(await recordEventIn(tx, userId, "2fa:app-removed", info, {}, { mail: !done.transition })),
              ...(await announceTransition(tx, userId, done, info, "totp")),
            ],
    },
  );
  if (change.result) return { ok: false, code: change.result };
  return { ok: true, turnedOff: change.transition === "disabled" };
}

export async function remainingRecoveryCodes(userId: string): Promise<number> {
  return db().recoveryCode.count({ where: { userId, usedAt: null } });
}

/** Replaces every recovery code; needs a fresh confirmation on the session. */
export async function regenerateRecoveryCodes(
  session: ActiveSession,
  info: RequestInfo,
  now = new Date(),
): Promise<{ ok: true; codes: string[] } | Refusal> {
  const refused = accountRefusalCode("account:2fa:change", session, now);
  if (refused) return { ok: false, code: refused };
  const userId = session.user.id;
  const codes = generateRecoveryCodes();
  const mail = await db().$transaction(async (tx) => {
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })) });
    await voidOutstandingLinks(tx, userId);
    return recordEventIn(tx, userId, "2fa:recovery-codes-regenerated", info);
  });
  sendQueued(mail);
  return { ok: true, codes };
}

/**
 * Every factor gone: the app, its pending secret, every security key (recovery codes follow);
 * `record` writes its history row and email in the same transaction.
 */
function removeEveryFactor(
  userId: string,
  record: (tx: Prisma.TransactionClient, done: FactorChange<void>) => Promise<string[]>,
  keepIdHash?: string,
) {
  return changeFactors(
    userId,
    async (tx) => {
      await tx.securityKey.deleteMany({ where: { userId } });
      await tx.user.update({
        where: { id: userId },
        data: { totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastTimeStep: null },
      });
    },
    { keepIdHash, record },
  );
}

/** Turns 2FA off and signs out every other session; needs a fresh confirmation on this one. */
export async function disableTwoFactor(
  session: ActiveSession,
  info: RequestInfo,
  now = new Date(),
): Promise<{ ok: true } | Refusal> {
  const refused = accountRefusalCode("account:2fa:change", session, now);
  if (refused) return { ok: false, code: refused };
  const userId = session.user.id;
  await removeEveryFactor(userId, (tx, done) => announceTransition(tx, userId, done, info), session.idHash);
  return { ok: true };
}

/** For an operator helping a user who lost their device: 2FA off (app and keys), every session ended, reason kept. */
export async function adminResetTwoFactor(userId: string, reason: string): Promise<void> {
  await removeEveryFactor(userId, (tx, done) =>
    recordEventIn(
      tx,
      userId,
      "2fa:admin-reset",
      { ip: null, userAgent: "admin command line" },
      { reason, sessionsRevoked: done.sessionsRevoked },
    ),
  );
}

// Second factors: enrolment, verification and removal. Every method answers the same `verify`, so
// security keys can join later as one more entry in METHODS without reshaping the sign-in step.
import "server-only";
import { db } from "@/lib/db/client";
import { open, seal } from "@/lib/crypto/secret-box";
import { encryptionKey } from "@/lib/crypto/keys";
import { attempt, hitLimit, LIMITS, refundLimit } from "@/lib/security/rate-limit";
import { notifyUser } from "./notify";
import type { RequestInfo } from "@/lib/http/request-info";
import type { ErrorCode } from "@/lib/errors";
import { recordEvent } from "./events";
import { checkTotp, groupSecret, newTotpSecret, totpUri } from "./totp";
import { generateRecoveryCodes, hashRecoveryCode, normaliseRecoveryCode } from "./recovery-codes";
import { revokeUserSessions } from "./sessions";
import { voidOutstandingLinks } from "./email-links";

const secretContext = (userId: string) => `totp:${userId}`;

export type SecondFactorResult =
  | { ok: true; method: MethodId }
  | { ok: false; code: ErrorCode; retryAt?: Date };

type MethodId = "totp" | "recovery_code";

interface Method {
  id: MethodId;
  /** Whether `input` is meant for this method (a 6-digit code, a recovery code, ...). */
  accepts(input: string): boolean;
  verify(userId: string, input: string, info: RequestInfo, now: Date): Promise<SecondFactorResult>;
}

const totpMethod: Method = {
  id: "totp",
  accepts: (input) => /^\d{6}$/.test(input.replace(/\s+/g, "")),
  async verify(userId, input, _info, now) {
    const user = await db().user.findUnique({ where: { id: userId }, select: { totpSecret: true, totpLastTimeStep: true } });
    if (!user?.totpSecret) return { ok: false, code: "invalid_code" };
    const secret = open(encryptionKey(), user.totpSecret, secretContext(userId));
    const check = await checkTotp(secret, input, user.totpLastTimeStep, now);
    if (!check.ok) return { ok: false, code: check.reason === "reused" ? "code_reused" : "invalid_code" };
    // Conditional update: of two concurrent requests with the same code, only one wins.
    const { count } = await db().user.updateMany({
      where: { id: userId, OR: [{ totpLastTimeStep: null }, { totpLastTimeStep: { lt: check.timeStep } }] },
      data: { totpLastTimeStep: check.timeStep },
    });
    return count === 1 ? { ok: true, method: "totp" } : { ok: false, code: "code_reused" };
  },
};

const recoveryCodeMethod: Method = {
  id: "recovery_code",
  accepts: (input) => normaliseRecoveryCode(input) !== null,
  async verify(userId, input, info) {
    const code = normaliseRecoveryCode(input);
    if (!code) return { ok: false, code: "invalid_code" };
    const { count } = await db().recoveryCode.updateMany({
      where: { userId, codeHash: hashRecoveryCode(code), usedAt: null },
      data: { usedAt: new Date() },
    });
    if (count !== 1) return { ok: false, code: "invalid_code" };
    const remaining = await remainingRecoveryCodes(userId);
    await recordEvent(userId, "2fa:recovery-code-used", info, { remaining });
    await notifyUser(userId, `a recovery code was used to sign in (${remaining} left)`, { info, act: "/account/security" });
    return { ok: true, method: "recovery_code" };
  },
};

const METHODS: Method[] = [totpMethod, recoveryCodeMethod];

/** Checks a second-factor code for an account with 2FA on, under per-account and per-IP limits. */
export async function verifySecondFactor(
  userId: string,
  input: string,
  info: RequestInfo,
  now = new Date(),
): Promise<SecondFactorResult> {
  const ipKey = info.ip ?? "unknown";
  const state = await attempt([[LIMITS.totpPerAccount, userId], [LIMITS.totpPerIp, ipKey]], now);
  if (state.limited) return { ok: false, code: "rate_limited", retryAt: state.retryAt };
  const method = METHODS.find((m) => m.accepts(input.slice(0, 100)));
  const result = method ? await method.verify(userId, input.slice(0, 100), info, now) : { ok: false as const, code: "invalid_code" as const };
  if (result.ok) {
    await refundLimit(LIMITS.totpPerAccount, userId);
    await refundLimit(LIMITS.totpPerIp, ipKey);
  } else {
    await recordEvent(userId, "2fa:failure", info, { reason: result.code });
  }
  return result;
}

export interface Enrolment {
  secret: string;
  groupedSecret: string;
  uri: string;
}

/** Starts (or resumes) enrolment: a pending secret that becomes active only once a code confirms it. */
export async function beginTotpEnrolment(userId: string): Promise<Enrolment> {
  const user = await db().user.findUniqueOrThrow({
    where: { id: userId },
    select: { username: true, totpPendingSecret: true, totpEnabledAt: true },
  });
  if (user.totpEnabledAt) throw new Error("Two-factor authentication is already enabled.");
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
  return { secret, groupedSecret: groupSecret(secret), uri: totpUri(secret, user.username) };
}

/** Confirms enrolment with a code from the app; returns the recovery codes, shown once. */
export async function confirmTotpEnrolment(
  userId: string,
  code: string,
  info: RequestInfo,
  now = new Date(),
): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false; code: ErrorCode; retryAt?: Date }> {
  const limited = await hitLimit(LIMITS.totpPerAccount, userId, now);
  if (limited.limited) return { ok: false, code: "rate_limited", retryAt: limited.retryAt };
  const user = await db().user.findUniqueOrThrow({
    where: { id: userId },
    select: { totpPendingSecret: true, totpEnabledAt: true },
  });
  if (user.totpEnabledAt || !user.totpPendingSecret) return { ok: false, code: "invalid_code" };
  const secret = open(encryptionKey(), user.totpPendingSecret, secretContext(userId));
  const check = await checkTotp(secret, code, null, now);
  if (!check.ok) return { ok: false, code: "invalid_code" };
  await refundLimit(LIMITS.totpPerAccount, userId);
  const recoveryCodes = generateRecoveryCodes();
  await db().$transaction([
    db().user.update({
      where: { id: userId },
      data: {
        totpSecret: user.totpPendingSecret,
        totpPendingSecret: null,
        totpEnabledAt: now,
        totpLastTimeStep: check.timeStep,
      },
    }),
    db().recoveryCode.deleteMany({ where: { userId } }),
    db().recoveryCode.createMany({ data: recoveryCodes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })) }),
    voidOutstandingLinks(db(), userId),
  ]);
  await recordEvent(userId, "2fa:enabled", info, { method: "totp" });
  await notifyUser(userId, "two-factor authentication was enabled", { info, at: now, act: "/account/security" });
  return { ok: true, recoveryCodes };
}

export async function remainingRecoveryCodes(userId: string): Promise<number> {
  return db().recoveryCode.count({ where: { userId, usedAt: null } });
}

/** Replaces every recovery code (the caller has checked sudo mode). */
export async function regenerateRecoveryCodes(userId: string, info: RequestInfo): Promise<string[]> {
  const codes = generateRecoveryCodes();
  await db().$transaction([
    db().recoveryCode.deleteMany({ where: { userId } }),
    db().recoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })) }),
    voidOutstandingLinks(db(), userId),
  ]);
  await recordEvent(userId, "2fa:recovery-codes-regenerated", info);
  await notifyUser(userId, "your recovery codes were regenerated; the old ones no longer work", { info, act: "/account/security" });
  return codes;
}

async function removeTwoFactor(userId: string): Promise<void> {
  await db().$transaction([
    db().user.update({
      where: { id: userId },
      data: { totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastTimeStep: null },
    }),
    db().recoveryCode.deleteMany({ where: { userId } }),
    voidOutstandingLinks(db(), userId),
  ]);
}

/** Turns 2FA off (the caller has checked sudo mode) and signs out every other session. */
export async function disableTwoFactor(userId: string, info: RequestInfo, keepIdHash: string): Promise<void> {
  await removeTwoFactor(userId);
  const revoked = await revokeUserSessions(userId, { exceptIdHash: keepIdHash });
  await recordEvent(userId, "2fa:disabled", info, { sessionsRevoked: revoked });
  await notifyUser(userId, "two-factor authentication was disabled and your other sessions were signed out", { info, act: "/account/security" });
}

/** For an operator helping a user who lost their device: 2FA off, every session ended, reason kept. */
export async function adminResetTwoFactor(userId: string, reason: string): Promise<void> {
  await removeTwoFactor(userId);
  const revoked = await revokeUserSessions(userId);
  const info = { ip: null, userAgent: "admin command line" };
  await recordEvent(userId, "2fa:admin-reset", info, { reason, sessionsRevoked: revoked });
  await notifyUser(userId, `an administrator turned off two-factor authentication (reason: ${reason}) and signed out all your sessions`, { info, act: "/account/security" });
}

// The password step of signing in, under per-account and per-IP limits. The answer never says
// whether the account exists.
import "server-only";
import { attempt, clearLimit, LIMITS, refundLimit } from "@/lib/security/rate-limit";
import type { RequestInfo } from "@/lib/http/request-info";
import type { ErrorCode } from "@/lib/errors";
import { verifyPassword } from "./passwords";
import { findLoginCandidate } from "./users";
import { recordEvent } from "./events";
import { db } from "@/lib/db/client";
import type { SessionStage } from "./sessions";

export type PasswordStepResult =
  { ok: true; userId: string; stage: SessionStage } | { ok: false; code: ErrorCode; retryAt?: Date };

export async function passwordStep(
  login: string,
  password: string,
  info: RequestInfo,
  now = new Date(),
): Promise<PasswordStepResult> {
  // No account name holds a NUL, and PostgreSQL cannot even compare text holding one (22021). The
  // sign-in form's action refuses it earlier; Auth.js's own callback route arrives here directly.
  if (login.includes("\0")) return { ok: false, code: "invalid_credentials" };
  const accountKey = login.trim().toLowerCase().slice(0, 254);
  const ipKey = info.ip ?? "unknown";
  const candidate = accountKey && password ? await findLoginCandidate(accountKey) : null;
  // Counted against the account itself when one matches, so its username and its email address
  // share one allowance; unknown names are counted by the name typed.
  const accountSubject = candidate ? `user:${candidate.id}` : `name:${accountKey}`;
  const state = await attempt(
    [
      [LIMITS.loginPerAccount, accountSubject],
      [LIMITS.loginPerIp, ipKey],
    ],
    now,
  );
  if (state.limited) return { ok: false, code: "rate_limited", retryAt: state.retryAt };
  const valid = await verifyPassword(candidate?.passwordHash ?? null, password.slice(0, 1024));
  if (!candidate || !valid) {
    if (candidate) await recordEvent(candidate.id, "account:login-failure", info, { reason: "password" });
    return { ok: false, code: "invalid_credentials" };
  }
  await clearLimit(LIMITS.loginPerAccount, accountSubject);
  await refundLimit(LIMITS.loginPerIp, ipKey);
  const user = await db().user.findUniqueOrThrow({ where: { id: candidate.id }, select: { twoFactorEnabledAt: true } });
  return { ok: true, userId: candidate.id, stage: user.twoFactorEnabledAt ? "pending_2fa" : "full" };
}

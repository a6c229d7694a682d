// The password step of signing in, under per-account and per-IP limits. The answer never says
// whether the account exists.
import "server-only";
import { checkLimit, clearLimit, hitLimit, LIMITS } from "@/lib/security/rate-limit";
import type { RequestInfo } from "@/lib/http/request-info";
import type { ErrorCode } from "@/lib/errors";
import { verifyPassword } from "./passwords";
import { findLoginCandidate } from "./users";
import { recordEvent } from "./events";
import { db } from "@/lib/db/client";
import type { SessionStage } from "./sessions";

export type PasswordStepResult =
  | { ok: true; userId: string; stage: SessionStage }
  | { ok: false; code: ErrorCode; retryAt?: Date };

export async function passwordStep(
  login: string,
  password: string,
  info: RequestInfo,
  now = new Date(),
): Promise<PasswordStepResult> {
  const accountKey = login.trim().toLowerCase().slice(0, 254);
  const ipKey = info.ip ?? "unknown";
  for (const [limit, subject] of [
    [LIMITS.loginPerAccount, accountKey],
    [LIMITS.loginPerIp, ipKey],
  ] as const) {
    const state = await checkLimit(limit, subject, now);
    if (state.limited) return { ok: false, code: "rate_limited", retryAt: state.retryAt };
  }
  const candidate = accountKey && password ? await findLoginCandidate(accountKey) : null;
  const valid = await verifyPassword(candidate?.passwordHash ?? null, password.slice(0, 1024));
  if (!candidate || !valid) {
    await hitLimit(LIMITS.loginPerAccount, accountKey, now);
    await hitLimit(LIMITS.loginPerIp, ipKey, now);
    if (candidate) await recordEvent(candidate.id, "account:login-failure", info, { reason: "password" });
    return { ok: false, code: "invalid_credentials" };
  }
  await clearLimit(LIMITS.loginPerAccount, accountKey);
  const user = await db().user.findUniqueOrThrow({ where: { id: candidate.id }, select: { totpEnabledAt: true } });
  return { ok: true, userId: candidate.id, stage: user.totpEnabledAt ? "pending_2fa" : "full" };
}

// Signing in: the password step and the second-factor step, under per-account and per-IP limits.
// A step that succeeds opens its session in the transaction that records the sign-in (and spends
// the factor), so a sign-in is never left without its history row, nor a history row without it.
// The answer never says whether the account exists.
import "server-only";
import { attempt, clearLimit, LIMITS, refundLimit } from "@/lib/security/rate-limit";
import type { RequestInfo } from "@/lib/http/request-info";
import type { ErrorCode } from "@/lib/errors";
import { sendQueued } from "@/lib/email/outbox";
import { verifyPassword } from "./passwords";
import { findLoginCandidate } from "./users";
import { recordEvent, recordEventIn } from "./events";
import { db } from "@/lib/db/client";
import { openSession, promoteSession, resolveSession, type SessionStage } from "./sessions";
import { verifySecondFactor } from "./two-factor";

type Refusal = { ok: false; code: ErrorCode; retryAt?: Date };

/** `token` is the new session's, for the cookie. */
export type PasswordStepResult = { ok: true; userId: string; stage: SessionStage; token: string } | Refusal;

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
    // Its own transaction: a refused sign-in has nothing to roll back with, and is recorded all the same.
    if (candidate) await recordEvent(candidate.id, "account:login-failure", info, { reason: "password" });
    return { ok: false, code: "invalid_credentials" };
  }
  await clearLimit(LIMITS.loginPerAccount, accountSubject);
  await refundLimit(LIMITS.loginPerIp, ipKey);
  const userId = candidate.id;
  const stage: SessionStage = candidate.twoFactorOn ? "pending_2fa" : "full";
  const opened = await db().$transaction(async (tx) => {
    const token = await openSession(tx, userId, stage, info, now);
    // A pending session is nobody yet: the sign-in is recorded when the second factor completes it.
    const mail = stage === "full" ? await recordEventIn(tx, userId, "account:login-success", info) : [];
    return { token, mail };
  });
  sendQueued(opened.mail);
  return { ok: true, userId, stage, token: opened.token };
}

/** Thrown inside the second factor's transaction to undo it: the pending session went meanwhile. */
class PendingSessionGone extends Error {}

/**
 * The second step, for the pending_2fa session of the cookie's `pendingToken`: a valid factor spends
 * that session and opens a full one, in the transaction that spends the factor and records the
 * sign-in; the new session's token is returned for the cookie.
 */
export async function secondFactorStep(
  pendingToken: string | null,
  input: string,
  info: RequestInfo,
  now = new Date(),
): Promise<{ ok: true; userId: string; token: string } | Refusal> {
  const pending = await resolveSession(pendingToken, now);
  if (!pending || pending.stage !== "pending_2fa") return { ok: false, code: "second_factor_expired" };
  const userId = pending.user.id;
  let token = "";
  try {
    const result = await verifySecondFactor(userId, input, info, now, pending.idHash, async (tx, method) => {
      const opened = await promoteSession(tx, pending.idHash, userId, info, now);
      if (!opened) throw new PendingSessionGone();
      token = opened;
      return recordEventIn(tx, userId, "account:login-success", info, { secondFactor: method });
    });
    if (!result.ok) return result;
  } catch (err) {
    if (err instanceof PendingSessionGone) return { ok: false, code: "second_factor_expired" };
    throw err;
  }
  return { ok: true, userId, token };
}

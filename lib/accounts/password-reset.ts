// Password reset by emailed link. A reset sets a new password and ends every session; it never
// signs anyone in and never touches the second factor, so 2FA still guards the next sign-in.
import "server-only";
import { db } from "@/lib/db/client";
import { config } from "@/lib/config";
import { sha256Hex } from "@/lib/security/tokens";
import { hitLimit, LIMITS } from "@/lib/security/rate-limit";
import { queueMail, sendQueued } from "@/lib/email/outbox";
import { emails } from "@/lib/email/templates";
import type { RequestInfo } from "@/lib/http/request-info";
import type { ErrorCode } from "@/lib/errors";
import { hashPassword } from "./passwords";
import { passwordProblem } from "./rules";
import { recordEventIn } from "./events";
import { revokeUserSessions } from "./sessions";
import { findLoginCandidate } from "./users";
import { issueLink, voidOutstandingLinks } from "./email-links";

export const RESET_TTL_MS = 60 * 60 * 1000;

/**
 * Emails a reset link when `login` names an account with a verified address (the link goes only
 * there: an unverified address may be anyone's). The caller answers the same either way; the mail
 * is sent in the background (the outbox) so that the response time does not tell either.
 */
export async function requestPasswordReset(
  login: string,
  info: RequestInfo,
): Promise<{ ok: true } | { ok: false; code: ErrorCode; retryAt?: Date }> {
  const ip = await hitLimit(LIMITS.passwordResetPerIp, info.ip ?? "unknown");
  if (ip.limited) return { ok: false, code: "rate_limited", retryAt: ip.retryAt };
  const user = await findLoginCandidate(login.slice(0, 254));
  if (!user?.verifiedEmail) return { ok: true };
  // Past the per-account limit the request is dropped silently: saying so would confirm the account.
  if ((await hitLimit(LIMITS.passwordResetPerAccount, user.id)).limited) return { ok: true };
  const email = user.verifiedEmail;
  // The link, its history row and its mail commit together: no mail for a link that was never stored.
  const queued = await db().$transaction(async (tx) => {
    const token = await issueLink(user.id, "password_reset", email, RESET_TTL_MS, tx);
    const link = `${config().baseUrl}/account/reset-password/confirm?token=${token}`;
    const mail = emails.passwordReset(email, user.username, link, { at: new Date(), info, act: "/account/history" });
    return [...(await recordEventIn(tx, user.id, "account:password-reset-requested", info)), await queueMail(tx, mail)];
  });
  sendQueued(queued);
  return { ok: true };
}

/** Whether a reset link is still good (for showing the form; using it is `completePasswordReset`). */
export async function resetTokenIsValid(token: string, now = new Date()): Promise<boolean> {
  if (!token || token.length > 100) return false;
  const row = await db().emailToken.findUnique({ where: { tokenHash: sha256Hex(token) } });
  return !!row && row.purpose === "password_reset" && row.expiresAt > now;
}

export async function completePasswordReset(
  token: string,
  newPassword: string,
  info: RequestInfo,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; code?: ErrorCode; fieldErrors?: { newPassword?: string } }> {
  if (!token || token.length > 100) return { ok: false, code: "link_invalid" };
  const tokenHash = sha256Hex(token);
  const row = await db().emailToken.findUnique({ where: { tokenHash }, include: { user: true } });
  if (!row || row.purpose !== "password_reset" || row.expiresAt <= now) return { ok: false, code: "link_invalid" };
  const weak = passwordProblem(newPassword, [row.user.username, row.user.email]);
  if (weak) return { ok: false, fieldErrors: { newPassword: weak } };
  const passwordHash = await hashPassword(newPassword);
  // Consuming the token and setting the password happen together: a link works exactly once.
  const consumed = await db().$transaction(async (tx) => {
    const { count } = await tx.emailToken.deleteMany({ where: { tokenHash } });
    if (count !== 1) return null;
    await tx.user.update({ where: { id: row.userId }, data: { passwordHash, passwordChangedAt: now } });
    await voidOutstandingLinks(tx, row.userId);
    const revoked = await revokeUserSessions(row.userId, {}, tx);
    return recordEventIn(tx, row.userId, "account:password-reset-completed", info, { sessionsRevoked: revoked });
  });
  if (!consumed) return { ok: false, code: "link_invalid" };
  sendQueued(consumed);
  return { ok: true };
}

// Ending sessions (signing out, and ending an account's sessions from its security page or the
// operator's command line): the ending, its history row and its email in one transaction. Kept
// apart from sessions.ts, which the policy's facts (lib/authz/facts.ts) import: here the functions
// can ask the policy themselves.
import "server-only";
import { db, type Prisma } from "@/lib/db/client";
import { accountRefusalCode } from "@/lib/authz/facts";
import { sendQueued } from "@/lib/email/outbox";
import type { ErrorCode } from "@/lib/errors";
import type { RequestInfo } from "@/lib/http/request-info";
import { voidOutstandingLinks } from "./email-links";
import { recordEventIn } from "./events";
import { sha256Hex } from "@/lib/security/tokens";
import { revokeUserSessions, type ActiveSession } from "./sessions";

type Refusal = { ok: false; code: ErrorCode };

/** Ends another session of the account; needs a fresh confirmation on this one. */
export async function revokeSession(
  session: ActiveSession,
  idHash: string,
  info: RequestInfo,
  now = new Date(),
): Promise<{ ok: true } | Refusal> {
  const refused = accountRefusalCode("account:change", session, now);
  if (refused) return { ok: false, code: refused };
  const userId = session.user.id;
  const mail = await db().$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { userId, idHash } });
    return count ? recordEventIn(tx, userId, "account:sessions-revoked", info, { count }) : null;
  });
  if (!mail) return { ok: false, code: "session_ended" };
  sendQueued(mail);
  return { ok: true };
}

/**
 * Signing out of this browser: its session ends with its history row, in one transaction. A
 * pending_2fa session (nobody yet) or one already expired ends without a row.
 */
export async function signOutHere(token: string, info: RequestInfo, now = new Date()): Promise<void> {
  const idHash = sha256Hex(token);
  const mail = await db().$transaction(async (tx) => {
    // Of two racing sign-outs of one session, only the one whose delete returned the row records it.
    const [ended] = await tx.$queryRaw<{ user_id: string; stage: string; expires_at: Date }[]>`
      DELETE FROM sessions WHERE id_hash = ${idHash} RETURNING user_id, stage, expires_at`;
    if (!ended || ended.stage !== "full" || ended.expires_at <= now) return [];
    return recordEventIn(tx, ended.user_id, "account:logout", info);
  });
  sendQueued(mail);
}

/**
 * Ends every session but the one kept (all when none is) and voids every emailed link still
 * outstanding, so that whoever had the account cannot come back through one; returns how many ended.
 */
async function endSessions(
  userId: string,
  info: RequestInfo | null,
  record: (tx: Prisma.TransactionClient, count: number) => Promise<string[]>,
  exceptIdHash?: string,
): Promise<number> {
  const { count, mail } = await db().$transaction(async (tx) => {
    const count = await revokeUserSessions(userId, { exceptIdHash }, tx);
    await voidOutstandingLinks(tx, userId);
    return { count, mail: await record(tx, count) };
  });
  sendQueued(mail);
  return count;
}

/** "Sign out everywhere else"; needs a fresh confirmation on this session, which stays. */
export async function signOutOtherSessions(
  session: ActiveSession,
  info: RequestInfo,
  now = new Date(),
): Promise<{ ok: true; count: number } | Refusal> {
  const refused = accountRefusalCode("account:change", session, now);
  if (refused) return { ok: false, code: refused };
  const userId = session.user.id;
  const count = await endSessions(
    userId,
    info,
    // No email when there was nothing to end.
    (tx, count) => recordEventIn(tx, userId, "account:sessions-revoked", info, { count }, { mail: count > 0 }),
    session.idHash,
  );
  return { ok: true, count };
}

/** An operator's "revoke every session" for an account (its owner is told even when none was open). */
export function adminSignOutEverywhere(userId: string, info: RequestInfo | null): Promise<number> {
  return endSessions(userId, info, (tx, count) =>
    recordEventIn(tx, userId, "account:sessions-revoked", info, { count, by: "admin" }),
  );
}

// Sudo mode: a fresh confirmation (password, plus a second factor when 2FA is on) that unlocks
// sensitive actions on this session for 15 minutes.
import "server-only";
import { hitLimit, clearLimit, LIMITS } from "@/lib/security/rate-limit";
import type { RequestInfo } from "@/lib/http/request-info";
import type { ErrorCode } from "@/lib/errors";
import { checkPassword } from "./users";
import { verifySecondFactor } from "./two-factor";
import { setSudoUntil, SUDO_TTL_MS, type ActiveSession } from "./sessions";
import { recordEventIn } from "./events";
import { db, type Prisma } from "@/lib/db/client";
import { sendQueued } from "@/lib/email/outbox";

/** Confirmations on one session less than this apart belong to one sitting (one email). */
export const SITTING_MS = 60 * 60 * 1000;

function confirmedRecently(session: ActiveSession, now: Date): boolean {
  if (!session.sudoUntil) return false;
  const lastConfirmed = session.sudoUntil.getTime() - SUDO_TTL_MS;
  return now.getTime() - lastConfirmed < SITTING_MS;
}

export type SudoResult =
  { ok: true } | { ok: false; code: ErrorCode; field: "password" | "code" | "form"; retryAt?: Date };

export async function enterSudo(
  session: ActiveSession,
  password: string,
  code: string,
  info: RequestInfo,
  now = new Date(),
): Promise<SudoResult> {
  const userId = session.user.id;
  const limited = await hitLimit(LIMITS.sudoPerAccount, userId, now);
  if (limited.limited) return { ok: false, code: "rate_limited", field: "form", retryAt: limited.retryAt };
  if (!(await checkPassword(userId, password))) return { ok: false, code: "wrong_password", field: "password" };
  const enter = async (tx: Prisma.TransactionClient) => {
    await setSudoUntil(session.idHash, new Date(now.getTime() + SUDO_TTL_MS), tx);
    // One email per sitting: confirming again on the same session soon after says nothing new.
    return recordEventIn(tx, userId, "account:sudo-entered", info, {}, { mail: !confirmedRecently(session, now) });
  };
  if (session.user.twoFactorEnabled) {
    // The factor is spent in the transaction that enters sudo mode and records it, or not at all.
    // A security key's answer must be to the challenge this very session asked for.
    const second = await verifySecondFactor(userId, code, info, now, session.idHash, enter);
    if (!second.ok)
      return {
        ok: false,
        code: second.code,
        field: second.code === "rate_limited" ? "form" : "code",
        retryAt: second.retryAt,
      };
  } else {
    sendQueued(await db().$transaction(enter));
  }
  await clearLimit(LIMITS.sudoPerAccount, userId);
  return { ok: true };
}

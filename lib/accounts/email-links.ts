// Emailed links (email verification and change, password reset): issued, and all voided together
// whenever the account's credentials or addresses change, so that no older link outlives the change.
import "server-only";
import { db, Prisma } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { randomToken, sha256Hex } from "@/lib/security/tokens";

export type LinkPurpose = "verify_email" | "password_reset";

type Client = PrismaClient | Prisma.TransactionClient;

/**
 * Voids every link still outstanding for the account: verification and email-change links (to
 * any address) and password-reset links. Call it in the same transaction as every change of
 * password, email address or second factor, and every "sign out everywhere".
 * Not awaited, it is a PrismaPromise and fits in `db().$transaction([...])` too.
 */
export function voidOutstandingLinks(tx: Client, userId: string): Prisma.PrismaPromise<Prisma.BatchPayload> {
  return tx.emailToken.deleteMany({ where: { userId } });
}

/** Stores a new single-use link (only its hash) and returns the token that goes into the URL. */
export async function issueLink(
  userId: string,
  purpose: LinkPurpose,
  email: string,
  ttlMs: number,
  tx: Client = db(),
): Promise<string> {
  const token = randomToken(32);
  await tx.emailToken.create({
    data: { tokenHash: sha256Hex(token), userId, purpose, email, expiresAt: new Date(Date.now() + ttlMs) },
  });
  return token;
}

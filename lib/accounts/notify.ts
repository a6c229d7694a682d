// Emails a user that something happened to their account's security (one template, one helper):
// what (worded by the event catalogue), when, from which address and browser, and where to act.
import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { queueMail } from "@/lib/email/outbox";
import { emails } from "@/lib/email/templates";
import { noticeOf, type DetailsOf, type EventName } from "@/lib/events/catalogue";
import type { RequestInfo } from "@/lib/http/request-info";

/**
 * Queues the catalogue's email for `name`, if it has one, to `user` (an id, or an account about to
 * go) in `tx`, the transaction that records the change; returns the queued ids for `sendQueued`.
 */
export async function notifyUser<N extends EventName>(
  tx: Prisma.TransactionClient,
  user: string | { email: string; username: string },
  name: N,
  details: DetailsOf<N>,
  how: { info: RequestInfo | null; at?: Date },
): Promise<string[]> {
  const notice = noticeOf(name, details);
  if (!notice) return [];
  const to =
    typeof user === "string"
      ? await tx.user.findUniqueOrThrow({ where: { id: user }, select: { email: true, username: true } })
      : user;
  const message = emails.securityNotice(to.email, to.username, notice, {
    at: how.at ?? new Date(),
    info: how.info,
    act: notice.act,
  });
  return [await queueMail(tx, message)];
}

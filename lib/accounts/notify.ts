// Emails a user that something happened to their account's security (one template, one helper):
// what, when, from which address and browser, and the page where they can act on it.
import "server-only";
import { db } from "@/lib/db/client";
import { sendMail } from "@/lib/email/mailer";
import { emails } from "@/lib/email/templates";
import type { RequestInfo } from "@/lib/http/request-info";

/** The account pages a notice can send its reader to. */
export type AccountPage = "/account/security" | "/account/tokens" | "/account/settings" | "/account/history";

export async function notifyUser(
  userId: string,
  what: string,
  how: { info: RequestInfo | null; act: AccountPage; at?: Date },
): Promise<void> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, username: true } });
  await sendMail(emails.securityNotice(user.email, user.username, what, { at: how.at ?? new Date(), info: how.info, act: how.act }));
}

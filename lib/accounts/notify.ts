// Emails a user that something happened to their account's security (one template, one helper).
import "server-only";
import { db } from "@/lib/db/client";
import { sendMail } from "@/lib/email/mailer";
import { emails } from "@/lib/email/templates";

export async function notifyUser(userId: string, what: string): Promise<void> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, username: true } });
  await sendMail(emails.securityNotice(user.email, user.username, what));
}

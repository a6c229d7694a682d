// Emails a user that something happened to their account's security (one template, one helper):
// what (worded by the event catalogue), when, from which address and browser, and where to act.
import "server-only";
import { db } from "@/lib/db/client";
import { sendMail } from "@/lib/email/mailer";
import { emails } from "@/lib/email/templates";
import { noticeOf, type DetailsOf, type EventName } from "@/lib/events/catalogue";
import type { RequestInfo } from "@/lib/http/request-info";

/** Sends the catalogue's email for `name`, if it has one, to `user` (an id, or an account about to go). */
export async function notifyUser<N extends EventName>(
  user: string | { email: string; username: string },
  name: N,
  details: DetailsOf<N>,
  how: { info: RequestInfo | null; at?: Date },
): Promise<void> {
  const notice = noticeOf(name, details);
  if (!notice) return;
  const to =
    typeof user === "string"
      ? await db().user.findUniqueOrThrow({ where: { id: user }, select: { email: true, username: true } })
      : user;
  await sendMail(
    emails.securityNotice(to.email, to.username, notice, { at: how.at ?? new Date(), info: how.info, act: notice.act }),
  );
}

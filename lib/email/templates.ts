// Every message Wheelhouse sends, worded in one place.
import "server-only";
import { config } from "@/lib/config";
import { describeUserAgent } from "@/lib/http/user-agent";
import type { RequestInfo } from "@/lib/http/request-info";
import type { Message } from "./mailer";

/** What a change's email says, as the event catalogue words it (lib/events/catalogue.ts). */
export interface Notice {
  says: string;
  then: string | null;
}

/** When and from where a change was made, and the page where the reader can review or undo it. */
export interface Circumstances {
  at: Date;
  info: RequestInfo | null;
  /** A path on this site, such as "/account/security". */
  act: string;
}

const inWords = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** The lines every security email carries, so that a reader can tell at once whether it was them. */
export function circumstances({ at, info, act }: Circumstances): string {
  const where = info?.ip ? `IP address ${info.ip}` : "no IP address";
  return [
    `When: ${at.toISOString().slice(0, 19).replace("T", " ")} UTC (${inWords.format(at)} UTC)`,
    `From: ${where}, ${describeUserAgent(info?.userAgent)}`,
    `Review it or act: ${config().baseUrl}${act}`,
  ].join("\n");
}

const footer = () =>
  `\n\n-- \nWheelhouse at ${config().baseUrl}\n` +
  `If this was not you, change your password and review your account's security history: ` +
  `${config().baseUrl}/account/history`;

export const emails = {
  verifyEmail: (to: string, username: string, link: string): Message => ({
    to,
    subject: "Verify your email address for Wheelhouse",
    text:
      `Hello ${username},\n\nPlease verify this email address by opening the link below. ` +
      `It works once and expires in 24 hours.\n\n${link}${footer()}`,
  }),
  passwordReset: (to: string, username: string, link: string, c: Circumstances): Message => ({
    to,
    subject: "Reset your Wheelhouse password",
    text:
      `Hello ${username},\n\nSomeone asked to reset the password of your Wheelhouse account. ` +
      `To choose a new password, open the link below. It works once and expires in 1 hour.\n\n` +
      `${link}\n\n${circumstances(c)}\n\n` +
      `Resetting your password signs out every session. It does not turn off two-factor authentication: ` +
      `you will still need your authenticator app or a recovery code to sign in.\n\n` +
      `If you did not ask for this, ignore this message: your password stays as it is.${footer()}`,
  }),
  projectNotice: (
    to: string,
    username: string,
    project: string,
    notice: Notice,
    by: string,
    c: Circumstances,
  ): Message => ({
    to,
    subject: `Wheelhouse project ${project}: ${notice.says.slice(0, 120)}`,
    text:
      `Hello ${username},\n\n${notice.says} (by ${by}).${notice.then ? ` ${notice.then}` : ""}\n\n` +
      `${circumstances(c)}${footer()}`,
  }),
  securityNotice: (to: string, username: string, notice: Notice, c: Circumstances): Message => ({
    to,
    subject: `Wheelhouse security notice: ${notice.says}`,
    text:
      `Hello ${username},\n\nThis is a notice that the following happened on your Wheelhouse account: ` +
      `${notice.says}.${notice.then ? ` ${notice.then}` : ""}\n\n${circumstances(c)}${footer()}`,
  }),
};

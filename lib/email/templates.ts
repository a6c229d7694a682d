// Every message Wheelhouse sends, worded in one place.
import "server-only";
import { config } from "@/lib/config";
import type { Message } from "./mailer";

const footer = () =>
  `\n\n-- \nWheelhouse at ${config().baseUrl}\nIf this was not you, change your password and review your account's security history: ${config().baseUrl}/account/history`;

export const emails = {
  verifyEmail: (to: string, username: string, link: string): Message => ({
    to,
    subject: "Verify your email address for Wheelhouse",
    text: `Hello ${username},\n\nPlease verify this email address by opening the link below. It works once and expires in 24 hours.\n\n${link}${footer()}`,
  }),
  emailChangedNotice: (to: string, username: string, newEmail: string): Message => ({
    to,
    subject: "Your Wheelhouse email address is being changed",
    text: `Hello ${username},\n\nSomeone signed in to your account asked to change its email address to ${newEmail}. This address will stop receiving account mail once the new one is verified.${footer()}`,
  }),
  passwordReset: (to: string, username: string, link: string): Message => ({
    to,
    subject: "Reset your Wheelhouse password",
    text: `Hello ${username},\n\nSomeone asked to reset the password of your Wheelhouse account. To choose a new password, open the link below. It works once and expires in 1 hour.\n\n${link}\n\nResetting your password signs out every session. It does not turn off two-factor authentication: you will still need your authenticator app or a recovery code to sign in.\n\nIf you did not ask for this, ignore this message: your password stays as it is.${footer()}`,
  }),
  passwordChanged: (to: string, username: string): Message => ({
    to,
    subject: "Your Wheelhouse password was changed",
    text: `Hello ${username},\n\nThe password of your Wheelhouse account was just changed, and every other session was signed out.${footer()}`,
  }),
  projectNotice: (to: string, username: string, project: string, what: string): Message => ({
    to,
    subject: `Wheelhouse project ${project}: ${what.split(" (by ")[0]!.slice(0, 120)}`,
    text: `Hello ${username},\n\n${what}.${footer()}`,
  }),
  securityNotice: (to: string, username: string, what: string): Message => ({
    to,
    subject: `Wheelhouse security notice: ${what}`,
    text: `Hello ${username},\n\nThis is a notice that the following happened on your Wheelhouse account: ${what}.${footer()}`,
  }),
};

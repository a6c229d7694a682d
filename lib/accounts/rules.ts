// What a valid username, email and password are. Shared by sign-up, settings, reset and the admin CLI.
import "server-only";
import { z } from "zod";
import { config } from "@/lib/config";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

export const USERNAME_MAX = 50;
export const PASSWORD_MIN = 8;
/** argon2 on a megabyte is a denial of service, not a password. */
export const PASSWORD_MAX = 1024;

export const usernameSchema = z
  .string({ error: "Enter a username." })
  .trim()
  .min(1, "Enter a username.")
  .max(USERNAME_MAX, `Usernames have at most ${USERNAME_MAX} characters.`)
  .regex(/^[A-Za-z0-9._-]+$/, "Usernames may contain only ASCII letters, digits, '-', '_' and '.'.")
  .regex(/^[A-Za-z0-9](.*[A-Za-z0-9])?$/, "Usernames must start and end with a letter or a digit.");

export const emailSchema = z
  .string({ error: "Enter an email address." })
  .trim()
  .min(1, "Enter an email address.")
  .max(254, "Email addresses have at most 254 characters.")
  .pipe(z.email("Enter a valid email address, like name@example.com."));

/** Case-insensitive uniqueness keys. */
export const usernameKey = (username: string) => username.trim().toLowerCase();
export const emailKey = (email: string) => email.trim().toLowerCase();

const zxcvbn = new ZxcvbnFactory({
  translations: en.translations,
  graphs: common.adjacencyGraphs,
  dictionary: { ...common.dictionary, ...en.dictionary },
});

export const MIN_PASSWORD_SCORE = 2;

/**
 * Null when the password is acceptable, otherwise a message that says why and how to improve.
 * `context` (username, email) counts as guessable: a password built from them is weak.
 */
export function passwordProblem(password: string, context: string[] = []): string | null {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  // zxcvbn's cost grows with length; 100 characters already decide the score.
  const result = zxcvbn.check(password.slice(0, 100), context.filter(Boolean));
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const why = result.feedback.warning ? `${result.feedback.warning} ` : "This password is too easy to guess. ";
  const how = result.feedback.suggestions.length
    ? result.feedback.suggestions.join(" ")
    : "Add more words or characters that are not common patterns.";
  return `${why}${how}`.trim();
}

/** A password as typed into a form (strength is judged separately, with the account's context). */
export const passwordInputSchema = z
  .string({ error: "Enter a password." })
  .min(1, "Enter a password.")
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

/** The password an account already has, typed to prove who is asking (sign-in, sudo, settings). */
export const currentPasswordSchema = z
  .string({ error: "Enter your password." })
  .min(1, "Enter your password.")
  .max(PASSWORD_MAX, "That is longer than any password here.");

/**
 * A form that sets a new password: `shape`, the new password under the field name `password`, and
 * the same password typed again under `confirm`, refused at `confirm` unless the two match.
 */
export function withNewPassword<S extends z.ZodRawShape, P extends string, C extends string>(
  shape: S,
  password: P,
  confirm: C,
) {
  const pair = {
    [password]: passwordInputSchema,
    [confirm]: z.string().max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`),
  } as Record<P | C, z.ZodString>;
  return z.object({ ...shape, ...pair }).refine((v: Record<string, unknown>) => v[password] === v[confirm], {
    path: [confirm],
    message: "The two passwords do not match.",
  });
}

/**
 * A path on this site to return to after signing in, or "/". Decided the way a browser decides:
 * `new URL` against the public origin drops tabs and newlines, reads a backslash as `/` and resolves
 * dot segments, so `/<TAB>/evil.example` or `/\\evil.example` come out as another host and are refused.
 * The path is returned as the parser serialised it, and one that it would read as scheme-relative
 * (`/.//evil.example` serialises to `//evil.example`) is refused too.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.length >= 500) return "/";
  const origin = new URL(config().baseUrl).origin;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return "/";
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === origin && !path.startsWith("//") ? path : "/";
}

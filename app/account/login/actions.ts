"use server";
import { z } from "zod";
import { redirect } from "next/navigation";
import { cookies } from "next/headers";
import { publicAction } from "@/lib/http/action";
import { signIn } from "@/lib/accounts/auth";
import { signInErrorMessage } from "@/lib/accounts/sign-in-error";
import { readSession } from "@/lib/accounts/current";
import { currentPasswordSchema, safeNext } from "@/lib/accounts/rules";
import { beginPasskeySignIn, CHALLENGE_TTL_MS, MAX_RESPONSE_CHARS } from "@/lib/accounts/security-keys";
import { PASSKEY_COOKIE, passkeyBindingFrom } from "@/lib/accounts/session-cookie";
import { randomToken } from "@/lib/security/tokens";
import { config } from "@/lib/config";
import { messageFor } from "@/lib/errors";

const schema = z.object({
  login: z
    .string()
    .trim()
    .min(1, "Enter your username or email address.")
    .max(254, "That is longer than any username or email address."),
  password: currentPasswordSchema,
  next: z.string().optional(),
});

export const signInAction = publicAction(schema, async ({ login, password, next }) => {
  try {
    await signIn("password", { login, password, redirect: false });
  } catch (err) {
    const message = signInErrorMessage(err);
    if (message === null) throw err;
    return { error: message };
  }
  const target = safeNext(next);
  // The cookie Auth.js just set is visible to this request: it says whether a second factor is due.
  const session = await readSession();
  redirect(session?.stage === "pending_2fa" ? `/account/two-factor?next=${encodeURIComponent(target)}` : target);
});

/**
 * The options for the browser's passkey picker. No session exists yet, so the challenge is bound to
 * a fresh random cookie that only this browser holds, for as long as the challenge lives.
 */
export const beginPasskeyAction = publicAction(z.object({}), async (_input, { info }) => {
  const token = randomToken(32);
  const jar = await cookies();
  jar.set(PASSKEY_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: config().baseUrl.startsWith("https:"),
    maxAge: CHALLENGE_TTL_MS / 1000,
  });
  const begun = await beginPasskeySignIn(passkeyBindingFrom(`${PASSKEY_COOKIE}=${token}`)!, info);
  if (!begun.ok) return { error: messageFor(begun.code, begun.retryAt) };
  return { ok: true, data: { options: begun.options } };
});

export const passkeySignInAction = publicAction(
  z.object({
    assertion: z.string().min(1).max(MAX_RESPONSE_CHARS, messageFor("key_not_accepted")),
    next: z.string().optional(),
  }),
  async ({ assertion, next }) => {
    try {
      await signIn("passkey", { assertion, redirect: false });
    } catch (err) {
      const message = signInErrorMessage(err);
      if (message === null) throw err;
      return { error: message };
    } finally {
      (await cookies()).delete(PASSKEY_COOKIE);
    }
    redirect(safeNext(next));
  },
);

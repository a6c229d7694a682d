"use server";
import { z } from "zod";
import { redirect } from "next/navigation";
import { publicAction } from "@/lib/http/action";
import { signIn } from "@/lib/accounts/auth";
import { signInErrorMessage } from "@/lib/accounts/sign-in-error";
import { readSession } from "@/lib/accounts/current";
import { beginKeyAssertion, MAX_RESPONSE_CHARS } from "@/lib/accounts/security-keys";
import { safeNext } from "@/lib/accounts/rules";
import { messageFor } from "@/lib/errors";

const schema = z
  .object({
    code: z.string().trim().max(100, "That is not a code.").optional().default(""),
    // A security key's answer, from the browser's prompt.
    assertion: z.string().max(MAX_RESPONSE_CHARS, messageFor("key_not_accepted")).optional().default(""),
    next: z.string().optional(),
  })
  .refine((v) => v.code || v.assertion, {
    path: ["code"],
    message: "Enter the code from your authenticator app, or a recovery code.",
  });

/** The second step: the "second-factor" provider checks the pending session in the cookie. */
export const secondFactorAction = publicAction(schema, async ({ code, assertion, next }) => {
  try {
    await signIn("second-factor", { code: assertion || code, redirect: false });
  } catch (err) {
    const message = signInErrorMessage(err);
    if (message === null) throw err;
    return { error: message };
  }
  redirect(safeNext(next));
});

/** The options for the security key prompt, bound to this pending sign-in. */
export const beginSecondFactorKeyAction = publicAction(z.object({}), async () => {
  const pending = await readSession();
  if (pending?.stage !== "pending_2fa") return { error: messageFor("second_factor_expired") };
  const begun = await beginKeyAssertion(pending.idHash, pending.user.id);
  if (!begun.ok) return { error: messageFor(begun.code) };
  return { ok: true, data: { options: begun.options } };
});

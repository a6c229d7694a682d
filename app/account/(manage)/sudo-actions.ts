"use server";
import { z } from "zod";
import { userAction } from "@/lib/http/action";
import { enterSudo } from "@/lib/accounts/sudo";
import { beginKeyAssertion, MAX_RESPONSE_CHARS } from "@/lib/accounts/security-keys";
import { messageFor } from "@/lib/errors";
import { currentPasswordSchema } from "@/lib/accounts/rules";

const schema = z.object({
  password: currentPasswordSchema,
  code: z.string().trim().max(100, "That is not a code.").optional().default(""),
  // A security key's answer to the challenge from beginSudoKeyAction.
  assertion: z.string().max(MAX_RESPONSE_CHARS, messageFor("key_not_accepted")).optional().default(""),
});

export const enterSudoAction = userAction(schema, async ({ password, code, assertion }, { session, info }) => {
  if (session.user.twoFactorEnabled && !code && !assertion) {
    return { fieldErrors: { code: "Enter a code from your authenticator app, or use your security key." } };
  }
  const result = await enterSudo(session, password, assertion || code, info);
  if (result.ok) return { ok: true };
  const message = messageFor(result.code, result.retryAt);
  return result.field === "form" || assertion ? { error: message } : { fieldErrors: { [result.field]: message } };
});

/** The options for the security key prompt, bound to this session. */
export const beginSudoKeyAction = userAction(z.object({}), async (_input, { session }) => {
  const begun = await beginKeyAssertion(session.idHash, session.user.id);
  if (!begun.ok) return { error: messageFor(begun.code) };
  return { ok: true, data: { options: begun.options } };
});

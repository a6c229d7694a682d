"use server";
import { z } from "zod";
import { userAction } from "@/lib/http/action";
import { enterSudo } from "@/lib/accounts/sudo";
import { messageFor } from "@/lib/errors";

const schema = z.object({
  password: z.string().min(1, "Enter your password.").max(1024, "That is longer than any password here."),
  code: z.string().trim().max(100, "That is not a code.").optional().default(""),
});

export const enterSudoAction = userAction(schema, async ({ password, code }, { session, info }) => {
  if (session.user.twoFactorEnabled && !code) return { fieldErrors: { code: "Enter a code from your authenticator app." } };
  const result = await enterSudo(session, password, code, info);
  if (result.ok) return { ok: true };
  const message = messageFor(result.code, result.retryAt);
  return result.field === "form" ? { error: message } : { fieldErrors: { [result.field]: message } };
});

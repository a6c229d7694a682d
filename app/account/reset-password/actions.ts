"use server";
import { z } from "zod";
import { redirect } from "next/navigation";
import { publicAction } from "@/lib/http/action";
import { completePasswordReset, requestPasswordReset } from "@/lib/accounts/password-reset";
import { withNewPassword } from "@/lib/accounts/rules";
import { messageFor } from "@/lib/errors";

export const requestResetAction = publicAction(
  z.object({
    login: z
      .string()
      .trim()
      .min(1, "Enter your username or email address.")
      .max(254, "That is longer than any username or email address."),
  }),
  async ({ login }, { info }) => {
    const result = await requestPasswordReset(login, info);
    if (!result.ok) return { error: messageFor(result.code, result.retryAt) };
    return {
      ok: true,
      message: "If an account matches what you entered, we sent a link to its email address. It works for 1 hour.",
    };
  },
);

export const completeResetAction = publicAction(
  withNewPassword({ token: z.string().max(100) }, "newPassword", "confirmPassword"),
  async ({ token, newPassword }, { info }) => {
    const result = await completePasswordReset(token, newPassword, info);
    if (!result.ok)
      return result.fieldErrors
        ? { fieldErrors: result.fieldErrors }
        : { error: messageFor(result.code ?? "link_invalid") };
    // Never signed in here: the sign-in page still asks for the password and, with 2FA, the code.
    redirect("/account/login?reset=1");
  },
);

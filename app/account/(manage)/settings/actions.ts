"use server";
import { z } from "zod";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { deleteAccount } from "@/lib/accounts/delete-account";
import { SESSION_COOKIE } from "@/lib/accounts/session-cookie";
import { userAction } from "@/lib/http/action";
import { currentPasswordSchema, emailSchema, withNewPassword } from "@/lib/accounts/rules";
import {
  changePassword,
  confirmCurrentPassword,
  requestEmailChange,
  resendEmailVerification,
} from "@/lib/accounts/users";
import { messageFor } from "@/lib/errors";

export const resendVerificationAction = userAction(z.object({}), async (_input, { session }) => {
  if (session.user.emailVerified) return { message: "Your email address is already verified." };
  const sent = await resendEmailVerification(session.user);
  if (!sent.ok) return { error: messageFor(sent.code ?? "server_error", sent.retryAt) };
  return { ok: true, message: `We sent a new verification link to ${session.user.email}.` };
});

async function wrongPassword(userId: string, password: string): Promise<string | null> {
  const confirmed = await confirmCurrentPassword(userId, password);
  return confirmed.ok ? null : messageFor(confirmed.code ?? "wrong_password", confirmed.retryAt);
}

export const changeEmailAction = userAction(
  z.object({ email: emailSchema, password: currentPasswordSchema }),
  async ({ email, password }, { session, info }) => {
    const problem = await wrongPassword(session.user.id, password);
    if (problem) return { fieldErrors: { password: problem } };
    const result = await requestEmailChange(session, email, info);
    if (!result.ok) return result.code ? { error: messageFor(result.code) } : { fieldErrors: result.fieldErrors };
    return {
      ok: true,
      message:
        `We sent a verification link to ${email}. ` +
        `Your address changes once you follow it; ${session.user.email} was told about the request.`,
    };
  },
  { sudo: true },
);

export const changePasswordAction = userAction(
  withNewPassword({ password: currentPasswordSchema }, "newPassword", "confirmPassword"),
  async ({ password, newPassword }, { session, info }) => {
    const problem = await wrongPassword(session.user.id, password);
    if (problem) return { fieldErrors: { password: problem } };
    const result = await changePassword(session, newPassword, info);
    if (!result.ok) return result.code ? { error: messageFor(result.code) } : { fieldErrors: result.fieldErrors };
    return { ok: true, message: "Your password was changed. Every other session was signed out." };
  },
  { sudo: true },
);

/** Deleting the account: its sessions go with it, so the browser forgets its cookie and leaves. */
export const deleteAccountAction = userAction(
  z.object({ confirm: z.string().max(100).default("") }),
  async ({ confirm }, { session, info }) => {
    const result = await deleteAccount(session, confirm, info);
    if (!result.ok)
      return {
        error: result.code === "sole_owner" ? `${result.message} (${result.projects.join(", ")})` : result.message,
      };
    (await cookies()).delete(SESSION_COOKIE);
    redirect("/account/deleted");
  },
  { sudo: true },
);

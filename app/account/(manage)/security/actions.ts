"use server";
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { userAction } from "@/lib/http/action";
import {
  beginTotpEnrolment,
  confirmTotpEnrolment,
  disableTwoFactor,
  regenerateRecoveryCodes,
} from "@/lib/accounts/two-factor";
import { revokeSession, signOutEverywhere } from "@/lib/accounts/sessions";
import { recordEvent } from "@/lib/accounts/events";
import { notifyUser } from "@/lib/accounts/notify";
import { messageFor } from "@/lib/errors";

const none = z.object({});

export const beginEnrolmentAction = userAction(none, async (_input, { session }) => {
  if (!session.user.emailVerified) return { error: messageFor("email_unverified") };
  if (session.user.twoFactorEnabled) return { error: "Two-factor authentication is already enabled." };
  const enrolment = await beginTotpEnrolment(session.user.id);
  return { ok: true, data: { uri: enrolment.uri, groupedSecret: enrolment.groupedSecret } };
});

export const confirmEnrolmentAction = userAction(
  z.object({ code: z.string().trim().min(1, "Enter the 6-digit code your app shows.").max(20, "Codes have 6 digits.") }),
  async ({ code }, { session, info }) => {
    if (!session.user.emailVerified) return { error: messageFor("email_unverified") };
    const result = await confirmTotpEnrolment(session.user.id, code, info);
    if (!result.ok) return { fieldErrors: { code: messageFor(result.code, result.retryAt) } };
    return { ok: true, data: { recoveryCodes: result.recoveryCodes } };
  },
);

export const regenerateCodesAction = userAction(
  none,
  async (_input, { session, info }) => {
    if (!session.user.twoFactorEnabled) return { error: "Two-factor authentication is not enabled." };
    return { ok: true, data: { recoveryCodes: await regenerateRecoveryCodes(session.user.id, info) } };
  },
  { sudo: true },
);

export const disableTwoFactorAction = userAction(
  none,
  async (_input, { session, info }) => {
    if (!session.user.twoFactorEnabled) return { error: "Two-factor authentication is not enabled." };
    await disableTwoFactor(session.user.id, info, session.idHash);
    redirect("/account/security?done=2fa-disabled");
  },
  { sudo: true },
);

export const revokeSessionAction = userAction(
  z.object({ session: z.string().regex(/^[0-9a-f]{64}$/, "Unknown session.") }),
  async ({ session: idHash }, { session, info }) => {
    if (idHash === session.idHash) return { error: "To end this session, sign out." };
    if (!(await revokeSession(session.user.id, idHash))) return { error: "That session has already ended." };
    await recordEvent(session.user.id, "account:sessions-revoked", info, { count: 1 });
    await notifyUser(session.user.id, "one of your sessions was signed out", { info, act: "/account/security" });
    revalidatePath("/account/security");
    return { ok: true, message: "The session was signed out." };
  },
  { sudo: true },
);

export const revokeOtherSessionsAction = userAction(
  none,
  async (_input, { session, info }) => {
    const count = await signOutEverywhere(session.user.id, { exceptIdHash: session.idHash });
    await recordEvent(session.user.id, "account:sessions-revoked", info, { count });
    if (count) await notifyUser(session.user.id, `${count} other session(s) were signed out`, { info, act: "/account/security" });
    revalidatePath("/account/security");
    return { ok: true, message: count ? `Signed out ${count} other session(s).` : "There were no other sessions." };
  },
  { sudo: true },
);

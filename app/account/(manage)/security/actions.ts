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
  removeAuthenticatorApp,
} from "@/lib/accounts/two-factor";
import {
  beginKeyRegistration,
  finishKeyRegistration,
  KEY_NAME_MAX,
  MAX_RESPONSE_CHARS,
  removeSecurityKey,
  renameSecurityKey,
} from "@/lib/accounts/security-keys";
import { revokeSession, signOutOtherSessions } from "@/lib/accounts/signing-out";
import { messageFor } from "@/lib/errors";

const none = z.object({});

export const beginEnrolmentAction = userAction(
  none,
  async (_input, { session }) => {
    const enrolment = await beginTotpEnrolment(session);
    if (!enrolment.ok) return { error: messageFor(enrolment.code) };
    return { ok: true, data: { uri: enrolment.uri, groupedSecret: enrolment.groupedSecret } };
  },
  { sudo: true },
);

export const confirmEnrolmentAction = userAction(
  z.object({
    code: z.string().trim().min(1, "Enter the 6-digit code your app shows.").max(20, "Codes have 6 digits."),
  }),
  async ({ code }, { session, info }) => {
    const result = await confirmTotpEnrolment(session, code, info);
    if (!result.ok) {
      const message = messageFor(result.code, result.retryAt);
      return result.code === "invalid_code" || result.code === "rate_limited"
        ? { fieldErrors: { code: message } }
        : { error: message };
    }
    // No revalidation when codes are shown: the page would re-render without them (RecoveryCodes refreshes).
    if (!result.recoveryCodes) revalidatePath("/account/security");
    return { ok: true, data: { recoveryCodes: result.recoveryCodes }, message: "The authenticator app was added." };
  },
  { sudo: true },
);

const keyName = z
  .string()
  .trim()
  .min(1, "Give the key a name, such as “YubiKey 5C”.")
  .max(KEY_NAME_MAX, `Names have at most ${KEY_NAME_MAX} characters.`);
const keyId = z.string().uuid("Unknown security key.");

/** The options for the browser's "create a key" prompt, bound to this session. */
export const beginKeyRegistrationAction = userAction(
  none,
  async (_input, { session }) => {
    const begun = await beginKeyRegistration(session);
    if (!begun.ok) return { error: messageFor(begun.code) };
    return { ok: true, data: { options: begun.options } };
  },
  { sudo: true },
);

export const finishKeyRegistrationAction = userAction(
  z.object({ name: keyName, response: z.string().min(1).max(MAX_RESPONSE_CHARS, messageFor("key_not_accepted")) }),
  async ({ name, response }, { session, info }) => {
    const result = await finishKeyRegistration(session, name, response, info);
    if (!result.ok) return { error: messageFor(result.code) };
    if (!result.recoveryCodes) revalidatePath("/account/security");
    return {
      ok: true,
      message: `The security key “${result.key.name}” was added.`,
      data: result.recoveryCodes ? { recoveryCodes: result.recoveryCodes } : undefined,
    };
  },
  { sudo: true },
);

export const renameKeyAction = userAction(
  z.object({ key: keyId, name: keyName }),
  async ({ key, name }, { session, info }) => {
    const result = await renameSecurityKey(session, key, name, info);
    if (!result.ok) return { error: messageFor(result.code) };
    revalidatePath("/account/security");
    return { ok: true, message: `Renamed to “${name}”.` };
  },
  { sudo: true },
);

export const removeKeyAction = userAction(
  z.object({ key: keyId, turnOff: z.literal("yes").optional() }),
  async ({ key, turnOff }, { session, info }) => {
    const result = await removeSecurityKey(session, key, turnOff === "yes", info);
    if (!result.ok) return { error: messageFor(result.code) };
    if (result.turnedOff) redirect("/account/security?done=2fa-disabled");
    revalidatePath("/account/security");
    return { ok: true, message: "The security key was removed." };
  },
  { sudo: true },
);

export const removeAppAction = userAction(
  z.object({ turnOff: z.literal("yes").optional() }),
  async ({ turnOff }, { session, info }) => {
    const result = await removeAuthenticatorApp(session, turnOff === "yes", info);
    if (!result.ok) return { error: messageFor(result.code) };
    if (result.turnedOff) redirect("/account/security?done=2fa-disabled");
    revalidatePath("/account/security");
    return { ok: true, message: "The authenticator app was removed." };
  },
  { sudo: true },
);

export const regenerateCodesAction = userAction(
  none,
  async (_input, { session, info }) => {
    if (!session.user.twoFactorEnabled) return { error: "Two-factor authentication is not enabled." };
    const result = await regenerateRecoveryCodes(session, info);
    if (!result.ok) return { error: messageFor(result.code) };
    return { ok: true, data: { recoveryCodes: result.codes } };
  },
  { sudo: true },
);

export const disableTwoFactorAction = userAction(
  none,
  async (_input, { session, info }) => {
    if (!session.user.twoFactorEnabled) return { error: "Two-factor authentication is not enabled." };
    const result = await disableTwoFactor(session, info);
    if (!result.ok) return { error: messageFor(result.code) };
    redirect("/account/security?done=2fa-disabled");
  },
  { sudo: true },
);

export const revokeSessionAction = userAction(
  z.object({ session: z.string().regex(/^[0-9a-f]{64}$/, "Unknown session.") }),
  async ({ session: idHash }, { session, info }) => {
    if (idHash === session.idHash) return { error: "To end this session, sign out." };
    const result = await revokeSession(session, idHash, info);
    if (!result.ok) return { error: messageFor(result.code) };
    revalidatePath("/account/security");
    return { ok: true, message: "The session was signed out." };
  },
  { sudo: true },
);

export const revokeOtherSessionsAction = userAction(
  none,
  async (_input, { session, info }) => {
    const result = await signOutOtherSessions(session, info);
    if (!result.ok) return { error: messageFor(result.code) };
    revalidatePath("/account/security");
    const { count } = result;
    return { ok: true, message: count ? `Signed out ${count} other session(s).` : "There were no other sessions." };
  },
  { sudo: true },
);

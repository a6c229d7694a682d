// Stable error codes and the one place they are worded for people. Login and reset messages are
// deliberately the same whether or not an account exists.
import type { Reason } from "@/lib/authz/policy";

export const ERROR_MESSAGES = {
  invalid_credentials:
    "The username or password is not correct. " +
    "(An email address signs you in only once it is verified; until then, use your username.)",
  rate_limited: "Too many attempts. Try again later.",
  invalid_code: "That code is not valid. Check your authenticator app and try again.",
  code_reused: "That code was already used. Wait for your authenticator app to show a new one.",
  second_factor_expired: "Your sign-in took too long. Enter your username and password again.",
  link_invalid: "This link is invalid, was already used or has expired.",
  link_other_account:
    "This link was sent for another account. Sign out, then sign in as the account it belongs to and open it again.",
  username_taken: "This username is already taken. Choose another one.",
  email_taken: "This email address is already used by another account.",
  wrong_password: "The password is not correct.",
  email_unverified: "Verify your email address first: follow the link in the message we sent you.",
  sudo_required: "Confirm your identity to continue.",
  not_signed_in: "Sign in to continue.",
  session_ended: "That session has already ended.",
  key_challenge_expired: "This security key request expired or was already used. Try again.",
  key_not_accepted: "The security key's answer could not be verified. Try again, or use another way to confirm.",
  key_unknown: "That security key is not registered to this account.",
  key_cloned:
    "This security key was refused: its signature counter went backwards, as a copied key's would. " +
    "Use another way to sign in; the account's owner was sent an email.",
  key_already_registered: "This security key is already registered.",
  passkey_needs_verification:
    "This passkey did not verify you (with a PIN, fingerprint or face), so it cannot replace your password. " +
    "Sign in with your password instead.",
  security_keys_unavailable: "Security keys and passkeys are not available on this Wheelhouse.",
  app_already_enrolled: "An authenticator app is already enrolled. Remove it first to enrol another one.",
  last_factor:
    "This is your last second factor: removing it turns off two-factor authentication. Confirm that to continue.",
  malformed_request: "This request was not sent the way this site's own forms send it. Reload the page and try again.",
  server_error: "Something went wrong on our side. Nothing was changed; please try again.",
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export function messageFor(code: ErrorCode, retryAt?: Date): string {
  if (code === "rate_limited" && retryAt) {
    return `Too many attempts. Try again after ${retryAt.toISOString().replace("T", " ").slice(0, 16)} UTC.`;
  }
  return ERROR_MESSAGES[code];
}

/** The words for a refusal of lib/authz/policy.ts, as pages and actions show it. */
export function refusalMessage(reason: Reason, project = "This project"): string {
  switch (reason) {
    case "not-member":
      return "You are not a member of this project.";
    case "not-owner":
      return "Only owners can do this.";
    case "needs-verified-email":
      return ERROR_MESSAGES.email_unverified;
    case "needs-2fa":
      return "Enable two-factor authentication (Account → Security) to manage projects.";
    case "site-requires-2fa":
      return (
        "This Wheelhouse requires two-factor authentication for publishing: " +
        "enable it under Account settings > Security first."
      );
    case "project-requires-2fa":
      return `${project} requires two-factor authentication: enable it under Account → Security, then accept.`;
    case "needs-sudo":
      return ERROR_MESSAGES.sudo_required;
    case "token-expired":
    case "token-out-of-scope":
    case "token-cannot-create":
    case "token-scope-gone":
    case "needs-session":
      return "API tokens only publish with twine; sign in to do this.";
  }
}

/** The same refusal for the account functions that answer with an ErrorCode. */
export function errorCodeFor(reason: Reason): ErrorCode {
  if (reason === "needs-sudo") return "sudo_required";
  if (reason === "needs-verified-email") return "email_unverified";
  throw new Error(`no error code for the refusal ${reason}`);
}

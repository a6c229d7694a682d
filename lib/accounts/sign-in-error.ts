// Turns what Auth.js throws for a refused sign-in back into our error code and message.
import "server-only";
import { AuthError, type CredentialsSignin } from "next-auth";
import { ERROR_MESSAGES, messageFor, type ErrorCode } from "@/lib/errors";

/** The message for a refused credentials sign-in, or null when `err` is something else (rethrow it). */
export function signInErrorMessage(err: unknown): string | null {
  // Production builds minify class names: branch on `type`, which Auth.js keeps.
  if (!(err instanceof AuthError) || err.type !== "CredentialsSignin") return null;
  const [code, retry] = String((err as CredentialsSignin).code ?? "").split("@");
  const known = code && code in ERROR_MESSAGES ? (code as ErrorCode) : "invalid_credentials";
  return messageFor(known, retry ? new Date(retry) : undefined);
}

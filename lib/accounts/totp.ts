// TOTP (RFC 6238) as authenticator apps do it: 6 digits, 30-second steps, one step of drift either
// way, and no time step accepted twice. The clock is a parameter so tests can move it.
import "server-only";
import { generateSecret, generateURI, verify } from "otplib";

export const TOTP_ISSUER = "Wheelhouse";
const STEP_SECONDS = 30;

export function newTotpSecret(): string {
  return generateSecret(); // 20 random bytes = 160 bits, as RFC 4226 recommends
}

export function totpUri(secret: string, username: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: username, secret });
}

/** The secret in groups of four, easier to type into an app by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

export type TotpCheck = { ok: true; timeStep: number } | { ok: false; reason: "invalid" | "reused" };

export async function checkTotp(
  secret: string,
  code: string,
  lastTimeStep: number | null,
  now = new Date(),
): Promise<TotpCheck> {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: "invalid" };
  const epoch = Math.floor(now.getTime() / 1000);
  // otplib compares in constant time; afterTimeStep rejects the step of the last accepted code.
  const result = await verify({ secret, token, epoch, epochTolerance: STEP_SECONDS });
  if (!result.valid || !("timeStep" in result)) return { ok: false, reason: "invalid" };
  if (lastTimeStep !== null && result.timeStep <= lastTimeStep) return { ok: false, reason: "reused" };
  return { ok: true, timeStep: result.timeStep };
}

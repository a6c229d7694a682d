// Accounts as the account tests need them: with or without TOTP enrolled through the real
// enrolment, and codes for any moment (a fixed clock, never a wait for the next time step).
import crypto from "node:crypto";
import { generate } from "otplib";
import { createUser } from "@/lib/accounts/users";
import { beginTotpEnrolment, confirmTotpEnrolment } from "@/lib/accounts/two-factor";
import { requestInfo, STRONG_PASSWORD, sudoSession, uniqueIdentity } from "../unit/helpers";

// TOTP secrets are stored encrypted; a key of this run's own.
process.env.WHEELHOUSE_ENCRYPTION_KEY ??= crypto.randomBytes(32).toString("base64");

export const after = (base: Date, ms: number) => new Date(base.getTime() + ms);
export const codeAt = (secret: string, when: Date) => generate({ secret, epoch: Math.floor(when.getTime() / 1000) });

export async function verifiedUser(prefix = "acct") {
  const r = await createUser({ ...uniqueIdentity(prefix), password: STRONG_PASSWORD, verified: true }, null);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.user;
}

/** A verified user with TOTP enrolled at `t0`: later codes must come from later time steps. */
export async function enrolledUser(t0 = new Date(), prefix = "acct") {
  const user = await verifiedUser(prefix);
  const session = await sudoSession(user.id);
  const enrolment = await beginTotpEnrolment(session);
  if (!enrolment.ok) throw new Error(enrolment.code);
  const { secret } = enrolment;
  const confirmed = await confirmTotpEnrolment(session, await codeAt(secret, t0), requestInfo(), t0);
  if (!confirmed.ok) throw new Error(JSON.stringify(confirmed));
  return { user, secret, recoveryCodes: confirmed.recoveryCodes };
}

/** A six-digit code that none of the time steps accepted at `when` would produce. */
export async function wrongCodeAt(secret: string, when: Date): Promise<string> {
  const valid = new Set(await Promise.all([-30_000, 0, 30_000].map((d) => codeAt(secret, after(when, d)))));
  for (let n = 123_456; ; n++) {
    const candidate = String(n % 1_000_000).padStart(6, "0");
    if (!valid.has(candidate)) return candidate;
  }
}

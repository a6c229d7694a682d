// Emailed links and the identities they lean on: a link applies only on its owner's confirmation,
// every credential change voids every outstanding link, and only verified addresses identify anyone.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { generate } from "otplib";
import { db } from "@/lib/db/client";
import {
  changePassword,
  confirmEmailLink,
  createUser,
  describeEmailLink,
  findUserById,
  markEmailVerified,
  requestEmailChange,
  sendEmailVerification,
} from "@/lib/accounts/users";
import {
  completePasswordReset,
  requestPasswordReset,
  resetTokenIsValid,
  RESET_TTL_MS,
} from "@/lib/accounts/password-reset";
import { issueLink } from "@/lib/accounts/email-links";
import { resolveSession, type ActiveSession } from "@/lib/accounts/sessions";
import { adminSignOutEverywhere, signOutOtherSessions } from "@/lib/accounts/signing-out";
import {
  adminResetTwoFactor,
  beginTotpEnrolment,
  confirmTotpEnrolment,
  disableTwoFactor,
  regenerateRecoveryCodes,
} from "@/lib/accounts/two-factor";
import { passwordStep } from "@/lib/accounts/login";
import {
  confirmedSession,
  createSession,
  latestVerifyToken,
  requestInfo,
  STRONG_PASSWORD,
  sudoSession,
  suffix,
  uniqueIdentity,
  withTempDataDir,
} from "./helpers";

const dataDir = withTempDataDir();
process.env.WHEELHOUSE_ENCRYPTION_KEY ??= crypto.randomBytes(32).toString("base64");

async function newUser(verified = true, identity = uniqueIdentity("lnk")) {
  const r = await createUser({ ...identity, password: STRONG_PASSWORD, verified }, requestInfo());
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.user;
}

const address = (label: string) => `${label}.${suffix()}@example.com`;
const resetLink = (u: { id: string; email: string }) => issueLink(u.id, "password_reset", u.email, RESET_TTL_MS);

/** An email-change link to a new address, as the settings form would send it (from a new session unless given). */
async function changeLink(
  userId: string,
  to = address("new"),
  session?: ActiveSession,
): Promise<{ to: string; token: string }> {
  const r = await requestEmailChange(session ?? (await sudoSession(userId)), to, requestInfo());
  if (!r.ok) throw new Error(JSON.stringify(r));
  return { to, token: await latestVerifyToken(dataDir, to) };
}

const linkWorks = async (token: string, userId: string) => (await describeEmailLink(token, userId)).state === "ready";

describe("an email link applies only on its owner's confirmation", () => {
  it("opening the link (describing it) changes nothing", async () => {
    const u = await newUser();
    const { to, token } = await changeLink(u.id);
    expect(await describeEmailLink(token, u.id)).toEqual({
      state: "ready",
      email: to,
      currentEmail: u.email,
      change: true,
    });
    expect(await describeEmailLink(token, u.id)).toEqual({
      state: "ready",
      email: to,
      currentEmail: u.email,
      change: true,
    });
    expect((await findUserById(u.id))!.email).toBe(u.email);
  });

  it("another account can neither see nor apply it, and the owner still can afterwards", async () => {
    const [owner, other] = await Promise.all([newUser(), newUser()]);
    const { to, token } = await changeLink(owner.id);
    expect(await describeEmailLink(token, other.id)).toEqual({ state: "other_account" });
    expect(await confirmEmailLink(token, other.id, requestInfo())).toEqual({ ok: false, code: "link_other_account" });
    expect((await findUserById(owner.id))!.email).toBe(owner.email);
    expect((await findUserById(other.id))!.email).toBe(other.email);

    expect(await confirmEmailLink(token, owner.id, requestInfo())).toEqual({ ok: true, email: to, changed: true });
    expect((await findUserById(owner.id))!.email).toBe(to);
  });

  it("a plain verification link is confirmed the same way", async () => {
    const u = await newUser(false);
    await sendEmailVerification(u.id, u.email);
    const token = await latestVerifyToken(dataDir, u.email);
    expect(await describeEmailLink(token, u.id)).toEqual({
      state: "ready",
      email: u.email,
      currentEmail: u.email,
      change: false,
    });
    expect((await findUserById(u.id))!.emailVerified).toBe(false);
    expect(await confirmEmailLink(token, u.id, requestInfo())).toEqual({ ok: true, email: u.email, changed: false });
    expect((await findUserById(u.id))!.emailVerified).toBe(true);
  });
});

describe("voidOutstandingLinks: every change voids every outstanding link", () => {
  it("a newer email-change request voids the older link", async () => {
    const u = await newUser();
    const first = await changeLink(u.id);
    const second = await changeLink(u.id);
    expect(await confirmEmailLink(first.token, u.id, requestInfo())).toEqual({ ok: false, code: "link_invalid" });
    expect(await confirmEmailLink(second.token, u.id, requestInfo())).toMatchObject({ ok: true, email: second.to });
  });

  it("a password change voids a pending email-change link and a reset link", async () => {
    const u = await newUser();
    const change = await changeLink(u.id);
    const reset = await resetLink(u);
    expect((await changePassword(await sudoSession(u.id), "a different long passphrase 42?", requestInfo())).ok).toBe(
      true,
    );
    expect(await confirmEmailLink(change.token, u.id, requestInfo())).toEqual({ ok: false, code: "link_invalid" });
    expect(await resetTokenIsValid(reset)).toBe(false);
    expect((await findUserById(u.id))!.email).toBe(u.email);
  });

  it("an email change voids reset links sent to the old address", async () => {
    const u = await newUser();
    const change = await changeLink(u.id);
    const reset = await resetLink(u); // asked for after the change request, to the old address
    expect(await resetTokenIsValid(reset)).toBe(true);
    expect((await confirmEmailLink(change.token, u.id, requestInfo())).ok).toBe(true);
    expect(await resetTokenIsValid(reset)).toBe(false);
    expect((await completePasswordReset(reset, "a brand new passphrase 17!", requestInfo())).ok).toBe(false);
  });

  it("a completed password reset voids a pending email-change link and the other reset links", async () => {
    const u = await newUser();
    const change = await changeLink(u.id);
    const [reset1, reset2] = [await resetLink(u), await resetLink(u)];
    expect(await completePasswordReset(reset1, "a brand new passphrase 17!", requestInfo())).toEqual({ ok: true });
    expect(await resetTokenIsValid(reset2)).toBe(false);
    expect(await linkWorks(change.token, u.id)).toBe(false);
  });

  it("turning 2FA on or off, new recovery codes, or an administrator's reset each void every link", async () => {
    const u = await newUser();
    const now = new Date();
    let change = await changeLink(u.id);
    let reset = await resetLink(u);
    const enrolment = await beginTotpEnrolment(await sudoSession(u.id));
    if (!enrolment.ok) throw new Error(enrolment.code);
    const { secret } = enrolment;
    const code = await generate({ secret, epoch: Math.floor(now.getTime() / 1000) });
    expect((await confirmTotpEnrolment(await sudoSession(u.id), code, requestInfo(), now)).ok).toBe(true);
    expect(await linkWorks(change.token, u.id)).toBe(false);
    expect(await resetTokenIsValid(reset)).toBe(false);

    change = await changeLink(u.id);
    reset = await resetLink(u);
    expect((await regenerateRecoveryCodes(await sudoSession(u.id), requestInfo())).ok).toBe(true);
    expect(await linkWorks(change.token, u.id)).toBe(false);
    expect(await resetTokenIsValid(reset)).toBe(false);

    change = await changeLink(u.id);
    reset = await resetLink(u);
    expect(await disableTwoFactor(await sudoSession(u.id), requestInfo())).toEqual({ ok: true });
    expect(await linkWorks(change.token, u.id)).toBe(false);
    expect(await resetTokenIsValid(reset)).toBe(false);

    change = await changeLink(u.id);
    reset = await resetLink(u);
    await adminResetTwoFactor(u.id, "lost phone");
    expect(await linkWorks(change.token, u.id)).toBe(false);
    expect(await resetTokenIsValid(reset)).toBe(false);
  });

  it("signing out everywhere voids every link and ends the other sessions", async () => {
    const u = await newUser();
    const { session, token: kept } = await confirmedSession(u.id);
    const other = await createSession(u.id, "full", requestInfo());
    const change = await changeLink(u.id, undefined, session);
    const reset = await resetLink(u);
    expect(await signOutOtherSessions(session, requestInfo())).toEqual({ ok: true, count: 1 });
    expect(await resolveSession(kept)).not.toBeNull();
    expect(await resolveSession(other)).toBeNull();
    expect(await linkWorks(change.token, u.id)).toBe(false);
    expect(await resetTokenIsValid(reset)).toBe(false);
  });

  it("leaves other accounts' links alone", async () => {
    const [a, b] = await Promise.all([newUser(), newUser()]);
    const bReset = await resetLink(b);
    await adminSignOutEverywhere(a.id, null);
    expect(await resetTokenIsValid(bReset)).toBe(true);
  });
});

describe("only verified addresses are identities", () => {
  it("signs in by a verified address, not by an unverified one; by username either way", async () => {
    const u = await newUser(false);
    expect(await passwordStep(u.email, STRONG_PASSWORD, requestInfo())).toEqual({
      ok: false,
      code: "invalid_credentials",
    });
    expect(await passwordStep(u.username, STRONG_PASSWORD, requestInfo())).toMatchObject({ ok: true, userId: u.id });
    await markEmailVerified(u.id, null);
    expect(await passwordStep(u.email.toUpperCase(), STRONG_PASSWORD, requestInfo())).toMatchObject({
      ok: true,
      userId: u.id,
    });
  });

  it("sends reset links only to a verified address, whether asked by address or by username", async () => {
    const resets = (userId: string) => db().emailToken.count({ where: { userId, purpose: "password_reset" } });
    const u = await newUser(false);
    expect(await requestPasswordReset(u.email, requestInfo())).toEqual({ ok: true });
    expect(await requestPasswordReset(u.username, requestInfo())).toEqual({ ok: true });
    expect(await resets(u.id)).toBe(0);
    await markEmailVerified(u.id, null);
    expect(await requestPasswordReset(u.email, requestInfo())).toEqual({ ok: true });
    expect(await requestPasswordReset(u.username, requestInfo())).toEqual({ ok: true });
    expect(await resets(u.id)).toBe(2);
  });

  it("a squatter's unverified address blocks neither the owner's sign-up nor their verification", async () => {
    const victimAddress = address("victim");
    const squatter = await newUser(false, { username: `squat-${suffix()}`, email: victimAddress });
    const owner = await newUser(false, { username: `owner-${suffix()}`, email: victimAddress.toUpperCase() });
    await sendEmailVerification(owner.id, owner.email);
    const token = await latestVerifyToken(dataDir, victimAddress);
    expect((await confirmEmailLink(token, owner.id, requestInfo())).ok).toBe(true);
    expect(await passwordStep(victimAddress, STRONG_PASSWORD, requestInfo())).toMatchObject({
      ok: true,
      userId: owner.id,
    });

    // The squatter's own link (which went to the owner's inbox anyway) can no longer take the address.
    await sendEmailVerification(squatter.id, squatter.email);
    const squatterToken = await latestVerifyToken(dataDir, victimAddress);
    expect(await confirmEmailLink(squatterToken, squatter.id, requestInfo())).toEqual({
      ok: false,
      code: "email_taken",
    });
    expect(await markEmailVerified(squatter.id, null)).toEqual({ ok: false, code: "email_taken" });
    expect((await findUserById(squatter.id))!.emailVerified).toBe(false);
    // And once verified, the address is taken for new accounts.
    const third = await createUser(
      { username: `third-${suffix()}`, email: victimAddress, password: STRONG_PASSWORD },
      null,
    );
    expect(third.ok).toBe(false);
  });

  it("two accounts verifying one address at once: exactly one wins", async () => {
    const shared = address("race");
    const [a, b] = await Promise.all([
      newUser(false, { username: `racea-${suffix()}`, email: shared }),
      newUser(false, { username: `raceb-${suffix()}`, email: shared }),
    ]);
    const [ta, tb] = [
      await issueLink(a.id, "verify_email", shared, 60_000),
      await issueLink(b.id, "verify_email", shared, 60_000),
    ];
    const results = await Promise.all([
      confirmEmailLink(ta, a.id, requestInfo()),
      confirmEmailLink(tb, b.id, requestInfo()),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, code: "email_taken" }]);
  });
});

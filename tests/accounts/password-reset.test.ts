// Password reset by emailed link (lib/accounts/password-reset.ts). The headline rule: a reset sets
// a new password and ends every session, and nothing more: it never signs anyone in and never
// turns off the second factor, so whoever controls the mailbox still meets 2FA at sign-in.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { checkPassword, createUser } from "@/lib/accounts/users";
import { resolveSession } from "@/lib/accounts/sessions";
import { passwordStep } from "@/lib/accounts/login";
import { remainingRecoveryCodes, verifySecondFactor } from "@/lib/accounts/two-factor";
import {
  completePasswordReset,
  requestPasswordReset,
  resetTokenIsValid,
  RESET_TTL_MS,
} from "@/lib/accounts/password-reset";
import { issueLink } from "@/lib/accounts/email-links";
import { createSession, mailTo, requestInfo, STRONG_PASSWORD, uniqueIdentity, withTempDataDir } from "../unit/helpers";
import { after, codeAt, enrolledUser, verifiedUser } from "./support";

const dataDir = withTempDataDir();
const NEW_PASSWORD = "a different long passphrase 42?";
const LINK = /reset-password\/confirm\?token=([A-Za-z0-9_-]+)/;

/** The token of the reset mail to `email`, waiting for it (it is sent in the background). */
async function resetTokenMailedTo(email: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const mail = (await mailTo(dataDir, email)).find((m) => LINK.test(m.text));
    if (mail) return LINK.exec(mail.text)![1]!;
    await sleep(25);
  }
  throw new Error(`no reset mail reached ${email}`);
}

async function resetLinkFor(user: { username: string; email: string }): Promise<string> {
  expect(await requestPasswordReset(user.username, requestInfo())).toEqual({ ok: true });
  return resetTokenMailedTo(user.email);
}

describe("requesting a reset", () => {
  it("mails a single link to the account's verified address, and stores only its hash", async () => {
    const user = await verifiedUser("reset");
    const token = await resetLinkFor(user);
    expect(await resetTokenIsValid(token)).toBe(true);
    const rows = await db().emailToken.findMany({ where: { userId: user.id, purpose: "password_reset" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(token);
    expect(
      await db().securityEvent.count({ where: { userId: user.id, tag: "account:password-reset-requested" } }),
    ).toBe(1);
  });

  it("answers an unknown name exactly as a known one", async () => {
    const { username } = uniqueIdentity("ghost");
    expect(await requestPasswordReset(username, requestInfo())).toEqual({ ok: true });
  });

  it("sends nothing to an address that was never verified", async () => {
    const created = await createUser({ ...uniqueIdentity("unverified"), password: STRONG_PASSWORD }, null);
    if (!created.ok) throw new Error(JSON.stringify(created));
    expect(await requestPasswordReset(created.user.username, requestInfo())).toEqual({ ok: true });
    expect(await db().emailToken.count({ where: { userId: created.user.id, purpose: "password_reset" } })).toBe(0);
  });

  it("silently stops issuing links past 3 requests an hour for one account", async () => {
    const user = await verifiedUser("reset");
    for (let i = 0; i < 5; i++) expect(await requestPasswordReset(user.email, requestInfo())).toEqual({ ok: true });
    expect(await db().emailToken.count({ where: { userId: user.id, purpose: "password_reset" } })).toBe(3);
  });
});

describe("completing a reset", () => {
  it("sets the new password and ends every session, without signing anyone in", async () => {
    const user = await verifiedUser("reset");
    const sessions = await Promise.all([1, 2].map(() => createSession(user.id, "full", requestInfo())));
    const token = await resetLinkFor(user);

    expect(await completePasswordReset(token, NEW_PASSWORD, requestInfo())).toEqual({ ok: true });

    expect(await checkPassword(user.id, NEW_PASSWORD)).toBe(true);
    expect(await checkPassword(user.id, STRONG_PASSWORD)).toBe(false);
    for (const s of sessions) expect(await resolveSession(s)).toBeNull();
    // No session of any stage was created for whoever followed the link.
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
    const completed = await db().securityEvent.findFirstOrThrow({
      where: { userId: user.id, tag: "account:password-reset-completed" },
    });
    expect(completed.details).toEqual({ sessionsRevoked: 2 });
    expect((await mailTo(dataDir, user.email)).map((m) => m.subject)).toContain(
      "Wheelhouse security notice: your password was changed with a reset link and every session was signed out",
    );
  });

  it("leaves two-factor authentication on: the next sign-in still asks for a code", async () => {
    const t0 = new Date();
    const { user, secret } = await enrolledUser(t0, "reset");
    const before = await db().user.findUniqueOrThrow({
      where: { id: user.id },
      select: { totpSecret: true, totpEnabledAt: true, twoFactorEnabledAt: true },
    });
    const token = await resetLinkFor(user);

    expect(await completePasswordReset(token, NEW_PASSWORD, requestInfo())).toEqual({ ok: true });

    const afterReset = await db().user.findUniqueOrThrow({
      where: { id: user.id },
      select: { totpSecret: true, totpEnabledAt: true, twoFactorEnabledAt: true },
    });
    expect(afterReset).toEqual(before);
    expect(await remainingRecoveryCodes(user.id)).toBe(10);
    const signIn = await passwordStep(user.username, NEW_PASSWORD, requestInfo());
    expect(signIn).toEqual({ ok: true, userId: user.id, stage: "pending_2fa", token: expect.any(String) });
    const t1 = after(t0, 30_000);
    expect(await verifySecondFactor(user.id, await codeAt(secret, t1), requestInfo(), t1)).toEqual({
      ok: true,
      method: "totp",
    });
  });

  it("works once: the same link cannot set a password again", async () => {
    const user = await verifiedUser("reset");
    const token = await resetLinkFor(user);
    expect(await completePasswordReset(token, NEW_PASSWORD, requestInfo())).toEqual({ ok: true });
    expect(await resetTokenIsValid(token)).toBe(false);
    expect(await completePasswordReset(token, "yet another long passphrase 7%", requestInfo())).toEqual({
      ok: false,
      code: "link_invalid",
    });
    expect(await checkPassword(user.id, NEW_PASSWORD)).toBe(true);
  });

  it("works once even when the link is used twice at the same moment", async () => {
    const user = await verifiedUser("reset");
    const token = await resetLinkFor(user);
    const passwords = ["first racing passphrase 11!", "second racing passphrase 22!"];
    const results = await Promise.all(passwords.map((p) => completePasswordReset(token, p, requestInfo())));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, code: "link_invalid" }]);
    const winner = passwords[results.findIndex((r) => r.ok)]!;
    expect(await checkPassword(user.id, winner)).toBe(true);
  });

  it("refuses a link after its hour, and changes nothing", async () => {
    const user = await verifiedUser("reset");
    const token = await resetLinkFor(user);
    const later = new Date(Date.now() + RESET_TTL_MS + 1000);
    expect(await resetTokenIsValid(token, later)).toBe(false);
    expect(await completePasswordReset(token, NEW_PASSWORD, requestInfo(), later)).toEqual({
      ok: false,
      code: "link_invalid",
    });
    expect(await checkPassword(user.id, STRONG_PASSWORD)).toBe(true);
  });

  it("refuses a weak password and keeps the link usable", async () => {
    const user = await verifiedUser("reset");
    const token = await resetLinkFor(user);
    const weak = await completePasswordReset(token, "password", requestInfo());
    expect(weak).toMatchObject({ ok: false, fieldErrors: { newPassword: expect.any(String) } });
    expect(await checkPassword(user.id, STRONG_PASSWORD)).toBe(true);
    expect(await completePasswordReset(token, NEW_PASSWORD, requestInfo())).toEqual({ ok: true });
  });

  it("voids every other outstanding link of the account", async () => {
    const user = await verifiedUser("reset");
    const token = await resetLinkFor(user);
    const other = await issueLink(user.id, "password_reset", user.email, RESET_TTL_MS);
    const verify = await issueLink(user.id, "verify_email", user.email, RESET_TTL_MS);
    expect(await completePasswordReset(token, NEW_PASSWORD, requestInfo())).toEqual({ ok: true });
    expect(await resetTokenIsValid(other)).toBe(false);
    expect(await db().emailToken.count({ where: { userId: user.id } })).toBe(0);
    expect(await completePasswordReset(verify, "yet another long passphrase 7%", requestInfo())).toEqual({
      ok: false,
      code: "link_invalid",
    });
  });

  it.each([
    ["an empty token", ""],
    ["a made-up token", "not-a-real-token"],
    ["an overlong token", "x".repeat(101)],
  ])("refuses %s", async (_what, token) => {
    expect(await resetTokenIsValid(token)).toBe(false);
    expect(await completePasswordReset(token, NEW_PASSWORD, requestInfo())).toEqual({
      ok: false,
      code: "link_invalid",
    });
  });

  it("refuses an email-verification link used as a reset link", async () => {
    const user = await verifiedUser("reset");
    const verify = await issueLink(user.id, "verify_email", user.email, RESET_TTL_MS);
    expect(await resetTokenIsValid(verify)).toBe(false);
    expect(await completePasswordReset(verify, NEW_PASSWORD, requestInfo())).toEqual({
      ok: false,
      code: "link_invalid",
    });
    expect(await checkPassword(user.id, STRONG_PASSWORD)).toBe(true);
  });
});

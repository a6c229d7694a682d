// The limits the account operations keep themselves (lib/accounts/users.ts), whoever calls them:
// sign-up per address, verification mails per account, "current password" checks per account.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { confirmCurrentPassword, resendEmailVerification, signUp } from "@/lib/accounts/users";
import { hitLimit, LIMITS } from "@/lib/security/rate-limit";
import { mailTo, requestInfo, STRONG_PASSWORD, uniqueIdentity, withTempDataDir } from "../unit/helpers";
import { verifiedUser } from "./support";

const dataDir = withTempDataDir();

describe("limits that live with their operation", () => {
  it("signs up and mails the link, until the address has used up its sign-ups; then creates nothing", async () => {
    const info = requestInfo();
    const first = uniqueIdentity("signup");
    const created = await signUp({ ...first, password: STRONG_PASSWORD }, info);
    expect(created.ok).toBe(true);
    expect((await mailTo(dataDir, first.email)).map((m) => m.subject)).toEqual([
      "Verify your email address for Wheelhouse",
    ]);
    for (let i = 1; i < LIMITS.signupPerIp.max; i++) await hitLimit(LIMITS.signupPerIp, info.ip!);
    const late = uniqueIdentity("signup");
    expect(await signUp({ ...late, password: STRONG_PASSWORD }, info)).toEqual({
      ok: false,
      code: "rate_limited",
      retryAt: expect.any(Date),
    });
    expect(await db().user.count({ where: { usernameKey: late.username } })).toBe(0);
    // Another address is not held back by this one.
    expect((await signUp({ ...uniqueIdentity("signup"), password: STRONG_PASSWORD }, requestInfo())).ok).toBe(true);
  });

  it("sends a few verification links an hour, then refuses without sending", async () => {
    const created = await signUp({ ...uniqueIdentity("resend"), password: STRONG_PASSWORD }, requestInfo());
    if (!created.ok) throw new Error(JSON.stringify(created));
    for (let i = 0; i < LIMITS.verifyEmailResend.max; i++)
      expect(await resendEmailVerification(created.user)).toEqual({ ok: true });
    const sent = (await mailTo(dataDir, created.user.email)).length;
    expect(await resendEmailVerification(created.user)).toEqual({
      ok: false,
      code: "rate_limited",
      retryAt: expect.any(Date),
    });
    expect((await mailTo(dataDir, created.user.email)).length).toBe(sent);
  });

  it("stops checking the current password after too many tries, even the right one", async () => {
    const user = await verifiedUser("confirm");
    expect(await confirmCurrentPassword(user.id, STRONG_PASSWORD)).toEqual({ ok: true });
    for (let i = 1; i < LIMITS.passwordConfirmPerAccount.max; i++) {
      expect(await confirmCurrentPassword(user.id, "not it")).toEqual({ ok: false, code: "wrong_password" });
    }
    expect(await confirmCurrentPassword(user.id, STRONG_PASSWORD)).toEqual({
      ok: false,
      code: "rate_limited",
      retryAt: expect.any(Date),
    });
  });
});

// A security change of an account, its history row and its email commit together or not at all:
// with the history refusing the account's rows (as a failing write would), the change itself must
// not happen either; without, the change, one history row and one queued email are there.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { disableTwoFactor } from "@/lib/accounts/two-factor";
import { removeSecurityKey } from "@/lib/accounts/security-keys";
import { changePassword, checkPassword, confirmEmailLink, VERIFY_EMAIL_TTL_MS } from "@/lib/accounts/users";
import { resolveSession } from "@/lib/accounts/sessions";
import { revokeSession, signOutHere, signOutOtherSessions } from "@/lib/accounts/signing-out";
import { enterSudo } from "@/lib/accounts/sudo";
import { issueLink } from "@/lib/accounts/email-links";
import { sha256Hex } from "@/lib/security/tokens";
import { createSession, requestInfo, STRONG_PASSWORD, sudoSession, suffix, withTempDataDir } from "../unit/helpers";
import { addedSince, after, codeAt, enrolledUser, notice, trail, verifiedUser, withHistoryRefused } from "./support";

withTempDataDir();

describe("security changes commit with their history row and their email, or not at all", () => {
  it("turning 2FA off", async () => {
    const { user } = await enrolledUser(new Date(), "atomic2fa");
    const session = await sudoSession(user.id);
    const other = await createSession(user.id, "full", requestInfo());
    const before = await trail(user.id);
    const codes = await db().recoveryCode.count({ where: { userId: user.id } });

    await withHistoryRefused(user.id, () => disableTwoFactor(session, requestInfo()));
    const kept = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(kept.twoFactorEnabledAt).not.toBeNull();
    expect(kept.totpSecret).not.toBeNull();
    expect(await db().recoveryCode.count({ where: { userId: user.id } })).toBe(codes);
    expect(await resolveSession(other)).not.toBeNull();
    expect(await addedSince(user.id, before)).toEqual({ events: [], mail: [] });

    expect(await disableTwoFactor(session, requestInfo())).toEqual({ ok: true });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorEnabledAt).toBeNull();
    expect(await resolveSession(other)).toBeNull();
    expect(await addedSince(user.id, before)).toEqual({
      events: ["2fa:disabled"],
      mail: [notice("two-factor authentication was disabled and your other sessions were signed out")],
    });
  });

  it("removing a security key", async () => {
    const { user } = await enrolledUser(new Date(), "atomickey");
    const key = await db().securityKey.create({
      data: {
        userId: user.id,
        name: "Spare key",
        credentialId: `cred-${suffix()}`,
        publicKey: Buffer.from("not used here"),
        aaguid: "00000000-0000-0000-0000-000000000000",
      },
    });
    const session = await sudoSession(user.id);
    const before = await trail(user.id);

    await withHistoryRefused(user.id, () => removeSecurityKey(session, key.id, false, requestInfo()));
    expect(await db().securityKey.count({ where: { id: key.id } })).toBe(1);
    expect(await addedSince(user.id, before)).toEqual({ events: [], mail: [] });

    expect(await removeSecurityKey(session, key.id, false, requestInfo())).toEqual({ ok: true, turnedOff: false });
    expect(await db().securityKey.count({ where: { id: key.id } })).toBe(0);
    expect(await addedSince(user.id, before)).toEqual({
      events: ["2fa:key-removed"],
      mail: [notice('the security key "Spare key" was removed')],
    });
  });

  it("changing the password", async () => {
    const user = await verifiedUser("atomicpw");
    const session = await sudoSession(user.id);
    const other = await createSession(user.id, "full", requestInfo());
    const before = await trail(user.id);
    const next = "another long passphrase 42?";

    await withHistoryRefused(user.id, () => changePassword(session, next, requestInfo()));
    expect(await checkPassword(user.id, STRONG_PASSWORD)).toBe(true);
    expect(await resolveSession(other)).not.toBeNull();
    expect(await addedSince(user.id, before)).toEqual({ events: [], mail: [] });

    expect(await changePassword(session, next, requestInfo())).toEqual({ ok: true });
    expect(await checkPassword(user.id, next)).toBe(true);
    expect(await resolveSession(other)).toBeNull();
    expect(await addedSince(user.id, before)).toEqual({
      events: ["account:password-changed"],
      mail: [notice("your password was changed and every other session was signed out")],
    });
  });

  it("signing out one session, and every other session", async () => {
    const user = await verifiedUser("atomicsess");
    const session = await sudoSession(user.id);
    const [one, two] = [
      await createSession(user.id, "full", requestInfo()),
      await createSession(user.id, "full", requestInfo()),
    ];
    const before = await trail(user.id);

    await withHistoryRefused(user.id, () => revokeSession(session, sha256Hex(one), requestInfo()));
    await withHistoryRefused(user.id, () => signOutOtherSessions(session, requestInfo()));
    expect(await resolveSession(one)).not.toBeNull();
    expect(await resolveSession(two)).not.toBeNull();
    expect(await addedSince(user.id, before)).toEqual({ events: [], mail: [] });

    expect(await revokeSession(session, sha256Hex(one), requestInfo())).toEqual({ ok: true });
    expect(await resolveSession(one)).toBeNull();
    expect(await resolveSession(two)).not.toBeNull();
    expect(await signOutOtherSessions(session, requestInfo())).toEqual({ ok: true, count: 1 });
    expect(await resolveSession(two)).toBeNull();
    expect(await db().session.count({ where: { idHash: session.idHash } })).toBe(1);
    expect(await addedSince(user.id, before)).toEqual({
      events: ["account:sessions-revoked", "account:sessions-revoked"],
      mail: [notice("one of your sessions was signed out"), notice("one of your sessions was signed out")],
    });
  });
});

describe("an email change", () => {
  it("tells the address the account left, and commits with that email or not at all", async () => {
    const user = await verifiedUser("atomicmail");
    const old = user.email;
    const newEmail = `moved.${suffix()}@example.com`;
    const token = await issueLink(user.id, "verify_email", newEmail, VERIFY_EMAIL_TTL_MS);
    const told = () => db().mailOutbox.findMany({ where: { recipient: old }, select: { subject: true } });
    const before = await told();

    await withHistoryRefused(user.id, () => confirmEmailLink(token, user.id, requestInfo()));
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(old);
    expect(await told()).toEqual(before);

    expect(await confirmEmailLink(token, user.id, requestInfo())).toEqual({ ok: true, email: newEmail, changed: true });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(newEmail);
    expect((await told()).slice(before.length)).toEqual([
      { subject: notice(`your account's email address was changed from ${old} to ${newEmail}`) },
    ]);
    expect(await db().mailOutbox.count({ where: { recipient: newEmail } })).toBe(0);
  });
});

describe("confirming and signing out", () => {
  it("entering sudo mode with an app code spends the code only with the confirmation and its row", async () => {
    const t0 = new Date();
    const t1 = after(t0, 30_000);
    const { user, secret } = await enrolledUser(t0, "atomicsudo");
    const token = await createSession(user.id, "full", requestInfo());
    const session = (await resolveSession(token))!;
    const step = async () =>
      (await db().user.findUniqueOrThrow({ where: { id: user.id }, select: { totpLastTimeStep: true } }))
        .totpLastTimeStep;
    const stepBefore = await step();
    const before = await trail(user.id);
    const code = await codeAt(secret, t1);

    await withHistoryRefused(
      user.id,
      () => enterSudo(session, STRONG_PASSWORD, code, requestInfo(), t1),
      "account:sudo-entered",
    );
    expect(await step()).toEqual(stepBefore);
    expect((await resolveSession(token))?.sudoUntil ?? null).toBeNull();
    expect(await addedSince(user.id, before)).toEqual({ events: [], mail: [] });

    // The refused attempt did not spend the code: it still confirms.
    expect(await enterSudo(session, STRONG_PASSWORD, code, requestInfo(), t1)).toEqual({ ok: true });
    expect(await step()).not.toEqual(stepBefore);
    expect(await addedSince(user.id, before)).toEqual({
      events: ["account:sudo-entered"],
      mail: [notice("you confirmed your identity to make sensitive changes for the next 15 minutes")],
    });
  });

  it("signing out ends the session with its history row, or neither", async () => {
    const user = await verifiedUser("atomicout");
    const token = await createSession(user.id, "full", requestInfo());
    const before = await trail(user.id);

    await withHistoryRefused(user.id, () => signOutHere(token, requestInfo()), "account:logout");
    expect(await resolveSession(token)).not.toBeNull();
    expect(await addedSince(user.id, before)).toEqual({ events: [], mail: [] });

    await signOutHere(token, requestInfo());
    expect(await resolveSession(token)).toBeNull();
    // Signing out again (another tab) ends nothing and records nothing more.
    await signOutHere(token, requestInfo());
    expect(await addedSince(user.id, before)).toEqual({ events: ["account:logout"], mail: [] });

    // A pending_2fa session was nobody yet: it ends without a row.
    const pending = await createSession(user.id, "pending_2fa", requestInfo());
    await signOutHere(pending, requestInfo());
    expect(await db().session.count({ where: { idHash: sha256Hex(pending) } })).toBe(0);
    expect(await addedSince(user.id, before)).toEqual({ events: ["account:logout"], mail: [] });
  });
});

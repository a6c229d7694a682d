// A sign-in opens its session in one transaction with its history rows, its email and the factor it
// spends, and a sign-up creates the account with its history, its verification mail and its first
// session: with the history refusing the flow's last row (its sign-in event), the flow fails and
// leaves nothing (no session, no spent code, no mail, no account); without, exactly the expected
// session, history and mail.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { passwordStep, secondFactorStep } from "@/lib/accounts/login";
import { resolveSession, type ActiveSession } from "@/lib/accounts/sessions";
import {
  beginKeyAssertion,
  beginKeyRegistration,
  beginPasskeySignIn,
  finishKeyRegistration,
  passkeySignIn,
} from "@/lib/accounts/security-keys";
import { remainingRecoveryCodes } from "@/lib/accounts/two-factor";
import { signUp } from "@/lib/accounts/users";
import { sha256Hex } from "@/lib/security/tokens";
import { requestInfo, STRONG_PASSWORD, sudoSession, uniqueIdentity, withTempDataDir } from "../unit/helpers";
import { SoftAuthenticator } from "../unit/soft-authenticator";
import { addedSince, after, codeAt, enrolledUser, notice, trail, verifiedUser, withHistoryRefused } from "./support";

withTempDataDir();

/** The stages of `userId`'s sessions, sorted. */
async function sessionStages(userId: string): Promise<string[]> {
  const rows = await db().session.findMany({ where: { userId }, select: { stage: true } });
  return rows.map((r) => r.stage).sort();
}

/** A user whose only second factor is a passkey, its authenticator and its stored sign counter. */
async function keyedUser() {
  const user = await verifiedUser("atomickey");
  const session = await sudoSession(user.id);
  const key = new SoftAuthenticator();
  const begun = await beginKeyRegistration(session);
  if (!begun.ok) throw new Error(begun.code);
  const added = await finishKeyRegistration(session, "Blue key", key.register(begun.options), requestInfo());
  if (!added.ok) throw new Error(added.code);
  // The setup's sessions are not the sign-in's: the tests count from none.
  await db().session.deleteMany({ where: { userId: user.id } });
  const counter = async () =>
    (await db().securityKey.findUniqueOrThrow({ where: { id: added.key.id }, select: { signCount: true } })).signCount;
  return { user, key, counter };
}

/** The password step of a 2FA account: its pending session and that session's cookie token. */
async function pendingSignIn(username: string): Promise<{ token: string; pending: ActiveSession }> {
  const step = await passwordStep(username, STRONG_PASSWORD, requestInfo());
  if (!step.ok || step.stage !== "pending_2fa") throw new Error(JSON.stringify(step));
  return { token: step.token, pending: (await resolveSession(step.token))! };
}

/** What one sign-in with a recovery code leaves since `before`: a code spent, a full session, history and mail. */
async function expectSignedInWithRecoveryCode(userId: string, before: Awaited<ReturnType<typeof trail>>) {
  expect(await remainingRecoveryCodes(userId)).toBe(9);
  expect(await sessionStages(userId)).toEqual(["full"]);
  expect(await addedSince(userId, before)).toEqual({
    events: ["2fa:recovery-code-used", "account:login-success"],
    mail: [notice("a recovery code was used to sign in (9 left)")],
  });
}

const newBrowser = notice('your security key "Blue key" was used to sign in from a browser not seen before (vitest)');

describe("a sign-in commits its session with its history row and its email, or not at all", () => {
  it("with a password", async () => {
    const user = await verifiedUser("atomicpw");
    const before = await trail(user.id);

    await withHistoryRefused(
      user.id,
      () => passwordStep(user.username, STRONG_PASSWORD, requestInfo()),
      "account:login-success",
    );
    expect(await sessionStages(user.id)).toEqual([]);
    expect(await addedSince(user.id, before)).toEqual({ events: [], mail: [] });

    const signedIn = await passwordStep(user.username, STRONG_PASSWORD, requestInfo());
    if (!signedIn.ok) throw new Error(signedIn.code);
    expect(signedIn.stage).toBe("full");
    expect((await resolveSession(signedIn.token))?.stage).toBe("full");
    expect(await sessionStages(user.id)).toEqual(["full"]);
    expect(await addedSince(user.id, before)).toEqual({ events: ["account:login-success"], mail: [] });
  });

  it("with a password and an app code: the pending session is spent for a full one", async () => {
    const t0 = new Date();
    const t1 = after(t0, 30_000);
    const { user, secret } = await enrolledUser(t0, "atomictotp");
    await db().session.deleteMany({ where: { userId: user.id } });
    const { token, pending } = await pendingSignIn(user.username);
    // The password step alone signs nobody in, and says nothing yet.
    expect(await sessionStages(user.id)).toEqual(["pending_2fa"]);
    const before = await trail(user.id);
    const step = async () =>
      (await db().user.findUniqueOrThrow({ where: { id: user.id }, select: { totpLastTimeStep: true } }))
        .totpLastTimeStep;
    const stepBefore = await step();
    const code = await codeAt(secret, t1);

    await withHistoryRefused(user.id, () => secondFactorStep(token, code, requestInfo(), t1), "account:login-success");
    expect(await sessionStages(user.id)).toEqual(["pending_2fa"]);
    expect(await resolveSession(token)).not.toBeNull();
    expect(await step()).toEqual(stepBefore);
    expect(await addedSince(user.id, before)).toEqual({ events: [], mail: [] });

    // The same code still works: the refused attempt did not spend it.
    const signedIn = await secondFactorStep(token, code, requestInfo(), t1);
    if (!signedIn.ok) throw new Error(signedIn.code);
    expect(await db().session.count({ where: { idHash: pending.idHash } })).toBe(0);
    expect(await db().session.findMany({ where: { userId: user.id }, select: { idHash: true, stage: true } })).toEqual([
      { idHash: sha256Hex(signedIn.token), stage: "full" },
    ]);
    expect(await addedSince(user.id, before)).toEqual({ events: ["account:login-success"], mail: [] });
  });

  it("with a password and a recovery code, which is spent only with the sign-in", async () => {
    const { user, recoveryCodes } = await enrolledUser(new Date(), "atomicrc");
    await db().session.deleteMany({ where: { userId: user.id } });
    const { token } = await pendingSignIn(user.username);
    const before = await trail(user.id);

    await withHistoryRefused(
      user.id,
      () => secondFactorStep(token, recoveryCodes![0]!, requestInfo()),
      "account:login-success",
    );
    expect(await remainingRecoveryCodes(user.id)).toBe(10);
    expect(await sessionStages(user.id)).toEqual(["pending_2fa"]);
    expect(await addedSince(user.id, before)).toEqual({ events: [], mail: [] });

    const signedIn = await secondFactorStep(token, recoveryCodes![0]!, requestInfo());
    if (!signedIn.ok) throw new Error(signedIn.code);
    await expectSignedInWithRecoveryCode(user.id, before);
  });

  it("spends a pending session once: of two racing second steps, one signs in, the other spends nothing", async () => {
    const { user, recoveryCodes } = await enrolledUser(new Date(), "atomicrace");
    await db().session.deleteMany({ where: { userId: user.id } });
    const { token } = await pendingSignIn(user.username);
    const before = await trail(user.id);

    const results = await Promise.all(
      recoveryCodes!.slice(0, 2).map((code) => secondFactorStep(token, code, requestInfo())),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, code: "second_factor_expired" }]);
    await expectSignedInWithRecoveryCode(user.id, before);
  });

  it("with a password and a security key, from a browser the account has not signed in from", async () => {
    const { user, key, counter } = await keyedUser();
    const { token, pending } = await pendingSignIn(user.username);
    const answer = async () => {
      const begun = await beginKeyAssertion(pending.idHash, user.id);
      if (!begun.ok) throw new Error(begun.code);
      return key.assert(begun.options.challenge);
    };
    const before = await trail(user.id);
    const counted = await counter();

    const refused = await answer();
    await withHistoryRefused(user.id, () => secondFactorStep(token, refused, requestInfo()), "account:login-success");
    expect(await counter()).toBe(counted);
    expect(await sessionStages(user.id)).toEqual(["pending_2fa"]);
    expect(await addedSince(user.id, before)).toEqual({ events: [], mail: [] });

    const signedIn = await secondFactorStep(token, await answer(), requestInfo());
    if (!signedIn.ok) throw new Error(signedIn.code);
    expect(await counter()).toBeGreaterThan(counted);
    expect(await sessionStages(user.id)).toEqual(["full"]);
    expect(await addedSince(user.id, before)).toEqual({
      events: ["2fa:key-new-browser", "account:login-success"],
      mail: [newBrowser],
    });
  });

  it("with a passkey", async () => {
    const { user, key, counter } = await keyedUser();
    const attempt = async () => {
      const info = requestInfo();
      const binding = sha256Hex(`browser ${info.ip}`);
      const begun = await beginPasskeySignIn(binding, info);
      if (!begun.ok) throw new Error(begun.code);
      return passkeySignIn(key.assert(begun.options.challenge), binding, info);
    };
    const before = await trail(user.id);
    const counted = await counter();

    await withHistoryRefused(user.id, attempt, "account:passkey-login");
    expect(await counter()).toBe(counted);
    expect(await sessionStages(user.id)).toEqual([]);
    expect(await addedSince(user.id, before)).toEqual({ events: [], mail: [] });

    const signedIn = await attempt();
    if (!signedIn.ok) throw new Error(signedIn.code);
    expect((await resolveSession(signedIn.token))?.stage).toBe("full");
    expect(await sessionStages(user.id)).toEqual(["full"]);
    expect(await addedSince(user.id, before)).toEqual({
      events: ["2fa:key-new-browser", "account:passkey-login"],
      mail: [newBrowser, notice('you signed in with the passkey "Blue key"')].sort(),
    });
  });
});

describe("a sign-up", () => {
  it("commits the account with its history, its verification mail and its first session, or not at all", async () => {
    const identity = uniqueIdentity("atomicsignup");
    const info = requestInfo();
    const account = () => db().user.findFirst({ where: { username: identity.username }, select: { id: true } });
    const mail = async () =>
      (await db().mailOutbox.findMany({ where: { recipient: identity.email }, select: { subject: true } })).map(
        (m) => m.subject,
      );

    await withHistoryRefused(
      { ip: info.ip! },
      () => signUp({ ...identity, password: STRONG_PASSWORD }, info),
      "account:login-success",
    );
    expect(await account()).toBeNull();
    expect(await mail()).toEqual([]);

    const created = await signUp({ ...identity, password: STRONG_PASSWORD }, info);
    if (!created.ok) throw new Error(JSON.stringify(created));
    expect((await resolveSession(created.sessionToken))?.user.id).toBe(created.user.id);
    expect(await sessionStages(created.user.id)).toEqual(["full"]);
    expect(await db().emailToken.count({ where: { userId: created.user.id, purpose: "verify_email" } })).toBe(1);
    expect((await trail(created.user.id)).events).toEqual(["account:created", "account:login-success"]);
    expect(await mail()).toEqual(["Verify your email address for Wheelhouse"]);
  });
});

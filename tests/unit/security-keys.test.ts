// Security keys against a real PostgreSQL, answered by a software authenticator: challenge storage
// (single use, 5-minute expiry, bound to the session that asked), the sign counter, the "first and
// last factor" rules, and passkey sign-in's user verification and lockout.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createUser, findUserById } from "@/lib/accounts/users";
import { resolveSession, setSudoUntil, type ActiveSession } from "@/lib/accounts/sessions";
import {
  beginKeyAssertion,
  beginKeyRegistration,
  beginPasskeySignIn,
  CHALLENGE_TTL_MS,
  finishKeyRegistration,
  issueChallenge,
  listSecurityKeys,
  passkeySignIn,
  removeSecurityKey,
  renameSecurityKey,
  takeChallenge,
} from "@/lib/accounts/security-keys";
import {
  beginTotpEnrolment,
  confirmTotpEnrolment,
  remainingRecoveryCodes,
  verifySecondFactor,
} from "@/lib/accounts/two-factor";
import { hitLimit, LIMITS } from "@/lib/security/rate-limit";
import { generate } from "otplib";
import { passwordStep } from "@/lib/accounts/login";
import { tokenCreationRefusal } from "@/lib/api-tokens/tokens";
import { createSession, mailTo, requestInfo, STRONG_PASSWORD, uniqueIdentity, withTempDataDir } from "./helpers";
import { SoftAuthenticator } from "./soft-authenticator";

const dataDir = withTempDataDir();
process.env.WHEELHOUSE_ENCRYPTION_KEY ??= crypto.randomBytes(32).toString("base64");

const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
const after = (base: Date, ms: number) => new Date(base.getTime() + ms);

async function newUser() {
  const r = await createUser({ ...uniqueIdentity("key"), password: STRONG_PASSWORD, verified: true }, null);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.user;
}

async function session(
  userId: string,
  options: { sudo?: boolean; stage?: "full" | "pending_2fa" } = {},
): Promise<ActiveSession> {
  const token = await createSession(userId, options.stage ?? "full", requestInfo());
  if (options.sudo !== false && options.stage !== "pending_2fa")
    await setSudoUntil(sha256(token), after(new Date(), 15 * 60_000));
  return (await resolveSession(token))!;
}

/** Registers a new key from `s` with a software authenticator; returns both and what finish answered. */
async function addKey(
  s: ActiveSession,
  name = "YubiKey 5C",
  options: ConstructorParameters<typeof SoftAuthenticator>[0] = {},
) {
  const key = new SoftAuthenticator(options);
  const begun = await beginKeyRegistration(s);
  if (!begun.ok) throw new Error(begun.code);
  const finished = await finishKeyRegistration(s, name, key.register(begun.options), requestInfo());
  if (!finished.ok) throw new Error(finished.code);
  return { key, finished };
}

/** An assertion from `key` to a fresh second-factor challenge bound to `s`. */
async function answer(s: ActiveSession, key: SoftAuthenticator, bump = true) {
  const begun = await beginKeyAssertion(s.idHash, s.user.id);
  if (!begun.ok) throw new Error(begun.code);
  return key.assert(begun.options.challenge, { bump });
}

describe("challenges", () => {
  it("are single-use, expire after 5 minutes and belong to the binding and purpose that asked", async () => {
    const binding = sha256(crypto.randomUUID());
    const t0 = new Date();
    await issueChallenge(binding, "authenticate", "c1", null, t0);
    expect(await takeChallenge(binding, "register", t0)).toEqual({ ok: false, code: "key_challenge_expired" });
    expect(await takeChallenge(sha256("someone else"), "authenticate", t0)).toEqual({
      ok: false,
      code: "key_challenge_expired",
    });
    expect(await takeChallenge(binding, "authenticate", t0)).toEqual({ ok: true, challenge: "c1", userId: null });
    expect(await takeChallenge(binding, "authenticate", t0)).toEqual({ ok: false, code: "key_challenge_expired" });

    await issueChallenge(binding, "authenticate", "c2", null, t0);
    expect(await takeChallenge(binding, "authenticate", after(t0, CHALLENGE_TTL_MS + 1000))).toEqual({
      ok: false,
      code: "key_challenge_expired",
    });
    // A newer ceremony replaces the older one.
    await issueChallenge(binding, "authenticate", "c3", null, t0);
    await issueChallenge(binding, "authenticate", "c4", null, t0);
    expect(await takeChallenge(binding, "authenticate", t0)).toMatchObject({ ok: true, challenge: "c4" });
  });

  it("let only one of two simultaneous answers through", async () => {
    const binding = sha256(crypto.randomUUID());
    await issueChallenge(binding, "passkey", "race", null);
    const results = await Promise.all([1, 2, 3].map(() => takeChallenge(binding, "passkey")));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});

describe("adding security keys", () => {
  it("needs a fresh confirmation", async () => {
    const user = await newUser();
    const cookieOnly = await session(user.id, { sudo: false });
    expect(await beginKeyRegistration(cookieOnly)).toEqual({ ok: false, code: "sudo_required" });
  });

  it("turns 2FA on with the first key (recovery codes, other sessions end), not with the second", async () => {
    const user = await newUser();
    const older = await createSession(user.id, "full", requestInfo());
    const s = await session(user.id);
    const first = await addKey(s, "YubiKey 5C");
    expect(first.finished.recoveryCodes).toHaveLength(10);
    expect((await findUserById(user.id))!.twoFactorEnabled).toBe(true);
    expect(await resolveSession(older)).toBeNull();
    expect(await db().session.findUnique({ where: { idHash: s.idHash } })).not.toBeNull();

    const second = await addKey(s, "laptop Touch ID", { residentKey: false });
    expect(second.finished.recoveryCodes).toBeUndefined();
    expect(await remainingRecoveryCodes(user.id)).toBe(10);
    const keys = await listSecurityKeys(user.id);
    expect(keys.map((k) => [k.name, k.passkey])).toEqual([
      ["YubiKey 5C", true],
      ["laptop Touch ID", false],
    ]);

    const stored = await db().securityKey.findFirstOrThrow({ where: { userId: user.id, name: "YubiKey 5C" } });
    expect(stored).toMatchObject({
      credentialId: first.key.id,
      transports: ["usb"],
      aaguid: "00000000-0000-0000-0000-000000000000",
      backedUp: false,
    });
    const tags = (await db().securityEvent.findMany({ where: { userId: user.id }, orderBy: { id: "asc" } })).map(
      (e) => e.tag,
    );
    expect(tags.filter((t) => t === "2fa:key-added")).toHaveLength(2);
    expect(tags.filter((t) => t === "2fa:enabled")).toHaveLength(1);
    expect(
      (await mailTo(dataDir, user.email)).some((m) => /security key was added: "laptop Touch ID"/.test(m.subject)),
    ).toBe(true);
  });

  it("count as 2FA everywhere: the password step stops at the second factor, publishing is allowed", async () => {
    const user = await newUser();
    expect(tokenCreationRefusal({ user: (await findUserById(user.id))!, operator: true })).toBe("site-requires-2fa");
    await addKey(await session(user.id));
    expect(await passwordStep(user.username, STRONG_PASSWORD, requestInfo())).toEqual({
      ok: true,
      userId: user.id,
      stage: "pending_2fa",
      token: expect.any(String),
    });
    expect(tokenCreationRefusal({ user: (await findUserById(user.id))!, operator: true })).toBeNull();
  });

  it("refuses a replayed, expired or foreign registration answer, and the same key twice", async () => {
    const user = await newUser();
    const s = await session(user.id);
    const key = new SoftAuthenticator();
    const begun = await beginKeyRegistration(s);
    if (!begun.ok) throw new Error(begun.code);
    const response = key.register(begun.options);
    // Answered through another session of the same user: not the session that asked.
    expect(await finishKeyRegistration(await session(user.id), "k", response, requestInfo())).toEqual({
      ok: false,
      code: "key_challenge_expired",
    });
    // The failed attempt did not spend this session's challenge.
    expect((await finishKeyRegistration(s, "k", response, requestInfo())).ok).toBe(true);
    expect(await finishKeyRegistration(s, "k", response, requestInfo())).toEqual({
      ok: false,
      code: "key_challenge_expired",
    });

    const again = await beginKeyRegistration(s);
    if (!again.ok) throw new Error(again.code);
    expect(await finishKeyRegistration(s, "k", key.register(again.options), requestInfo())).toEqual({
      ok: false,
      code: "key_already_registered",
    });

    const late = await beginKeyRegistration(s);
    if (!late.ok) throw new Error(late.code);
    const t = after(new Date(), CHALLENGE_TTL_MS + 1000);
    expect(
      await finishKeyRegistration(s, "k", new SoftAuthenticator().register(late.options), requestInfo(), t),
    ).toEqual({ ok: false, code: "key_challenge_expired" });
    expect(await listSecurityKeys(user.id)).toHaveLength(1);
  });
});

describe("a key as the second factor", () => {
  it("signs in through the pending session that asked, once per challenge", async () => {
    const user = await newUser();
    const { key } = await addKey(await session(user.id));
    const pending = await session(user.id, { stage: "pending_2fa" });
    const assertion = await answer(pending, key);
    expect(await verifySecondFactor(user.id, assertion, requestInfo(), new Date(), pending.idHash)).toEqual({
      ok: true,
      method: "security_key",
    });
    // Replayed: the challenge is spent.
    expect(await verifySecondFactor(user.id, assertion, requestInfo(), new Date(), pending.idHash)).toEqual({
      ok: false,
      code: "key_challenge_expired",
    });
    // Another pending sign-in cannot use an answer to this one's challenge.
    const other = await session(user.id, { stage: "pending_2fa" });
    const stolen = await answer(pending, key);
    await beginKeyAssertion(other.idHash, user.id);
    expect(await verifySecondFactor(user.id, stolen, requestInfo(), new Date(), other.idHash)).toMatchObject({
      ok: false,
    });
    expect((await listSecurityKeys(user.id))[0]!.lastUsedAt).not.toBeNull();
  });

  it("refuses another account's key", async () => {
    const [a, b] = await Promise.all([newUser(), newUser()]);
    await addKey(await session(a.id));
    const { key: bKey } = await addKey(await session(b.id));
    const pendingA = await session(a.id, { stage: "pending_2fa" });
    const begun = await beginKeyAssertion(pendingA.idHash, a.id);
    if (!begun.ok) throw new Error(begun.code);
    expect(
      await verifySecondFactor(a.id, bKey.assert(begun.options.challenge), requestInfo(), new Date(), pendingA.idHash),
    ).toEqual({
      ok: false,
      code: "key_unknown",
    });
  });

  it("refuses a key whose counter went backwards (a clone), records it and emails the owner", async () => {
    const user = await newUser();
    const { key } = await addKey(await session(user.id));
    const pending = await session(user.id, { stage: "pending_2fa" });
    key.counter = 41;
    expect(
      (await verifySecondFactor(user.id, await answer(pending, key), requestInfo(), new Date(), pending.idHash)).ok,
    ).toBe(true);
    key.counter = 10; // the copy: it never saw the original's later uses
    expect(
      await verifySecondFactor(user.id, await answer(pending, key), requestInfo(), new Date(), pending.idHash),
    ).toEqual({ ok: false, code: "key_cloned" });
    key.counter = 42; // equal to the last one is a clone too
    expect(
      await verifySecondFactor(user.id, await answer(pending, key, false), requestInfo(), new Date(), pending.idHash),
    ).toEqual({ ok: false, code: "key_cloned" });
    const stored = await db().securityKey.findFirstOrThrow({ where: { userId: user.id } });
    expect(stored.signCount).toBe(42n);
    expect(await db().securityEvent.count({ where: { userId: user.id, tag: "2fa:key-clone-suspected" } })).toBe(2);
    expect((await mailTo(dataDir, user.email)).some((m) => /signature counter went backwards/.test(m.subject))).toBe(
      true,
    );
    // The real key, moving on, still works.
    key.counter = 50;
    expect(
      (await verifySecondFactor(user.id, await answer(pending, key, false), requestInfo(), new Date(), pending.idHash))
        .ok,
    ).toBe(true);
  });

  it("accepts keys that keep no counter (always 0)", async () => {
    const user = await newUser();
    const { key } = await addKey(await session(user.id));
    const pending = await session(user.id, { stage: "pending_2fa" });
    for (let i = 0; i < 2; i++) {
      expect(
        (
          await verifySecondFactor(
            user.id,
            await answer(pending, key, false),
            requestInfo(),
            new Date(),
            pending.idHash,
          )
        ).ok,
      ).toBe(true);
    }
  });
});

describe("the last factor", () => {
  it("is not removed without saying that 2FA turns off; with that confirmation, 2FA is off", async () => {
    const user = await newUser();
    const s = await session(user.id);
    const other = await createSession(user.id, "full", requestInfo());
    await addKey(s);
    const [only] = await listSecurityKeys(user.id);
    expect(await removeSecurityKey(s, only!.id, false, requestInfo())).toEqual({ ok: false, code: "last_factor" });
    expect(await listSecurityKeys(user.id)).toHaveLength(1);
    expect((await findUserById(user.id))!.twoFactorEnabled).toBe(true);

    const other2 = await createSession(user.id, "full", requestInfo());
    expect(await removeSecurityKey(s, only!.id, true, requestInfo())).toEqual({ ok: true, turnedOff: true });
    expect((await findUserById(user.id))!.twoFactorEnabled).toBe(false);
    expect(await remainingRecoveryCodes(user.id)).toBe(0);
    expect(await resolveSession(other)).toBeNull();
    expect(await resolveSession(other2)).toBeNull();
    expect(await db().securityEvent.count({ where: { userId: user.id, tag: "2fa:disabled" } })).toBe(1);
    expect(
      (await mailTo(dataDir, user.email)).some((m) => /two-factor authentication was disabled/.test(m.subject)),
    ).toBe(true);
  });

  it("is not reached while the app remains: removing the key keeps 2FA on", async () => {
    const user = await newUser();
    const s = await session(user.id);
    const enrol = await beginTotpEnrolment(s);
    if (!enrol.ok) throw new Error(enrol.code);
    const t0 = new Date();
    expect(
      (
        await confirmTotpEnrolment(
          s,
          await generate({ secret: enrol.secret, epoch: Math.floor(t0.getTime() / 1000) }),
          requestInfo(),
          t0,
        )
      ).ok,
    ).toBe(true);
    const { finished } = await addKey(s);
    expect(finished.recoveryCodes).toBeUndefined(); // 2FA was already on
    expect(await db().securityEvent.count({ where: { userId: user.id, tag: "2fa:enabled" } })).toBe(1);
    const [key] = await listSecurityKeys(user.id);
    expect(await removeSecurityKey(s, key!.id, false, requestInfo())).toEqual({ ok: true, turnedOff: false });
    expect((await findUserById(user.id))!.twoFactorEnabled).toBe(true);
    expect(await remainingRecoveryCodes(user.id)).toBe(10);
  });

  it("rename and remove need sudo and the owner's key", async () => {
    const [a, b] = await Promise.all([newUser(), newUser()]);
    await addKey(await session(a.id));
    const [key] = await listSecurityKeys(a.id);
    expect(await renameSecurityKey(await session(a.id, { sudo: false }), key!.id, "x", requestInfo())).toEqual({
      ok: false,
      code: "sudo_required",
    });
    expect(await renameSecurityKey(await session(b.id), key!.id, "mine now", requestInfo())).toEqual({
      ok: false,
      code: "key_unknown",
    });
    expect(await removeSecurityKey(await session(b.id), key!.id, true, requestInfo())).toEqual({
      ok: false,
      code: "key_unknown",
    });
    expect(await renameSecurityKey(await session(a.id), key!.id, "  Blue key ", requestInfo())).toEqual({ ok: true });
    expect((await listSecurityKeys(a.id))[0]!.name).toBe("Blue key");
  });
});

describe("passkey sign-in", () => {
  async function passkeyAttempt(key: SoftAuthenticator, info = requestInfo(), now = new Date()) {
    const binding = sha256(crypto.randomUUID());
    const begun = await beginPasskeySignIn(binding, info, now);
    if (!begun.ok) throw new Error(begun.code);
    expect(begun.options.userVerification).toBe("required");
    expect(begun.options.allowCredentials ?? []).toEqual([]);
    return passkeySignIn(key.assert(begun.options.challenge), binding, info, now);
  }

  it("signs in with a verified passkey, and refuses one without user verification", async () => {
    const user = await newUser();
    const { key } = await addKey(await session(user.id));
    expect(await passkeyAttempt(key)).toEqual({ ok: true, userId: user.id, token: expect.any(String) });
    expect(await db().securityEvent.count({ where: { userId: user.id, tag: "account:passkey-login" } })).toBe(1);
    // The first key sign-in from this browser is reported as new; the next one is not.
    expect((await mailTo(dataDir, user.email)).filter((m) => /browser not seen before/.test(m.subject))).toHaveLength(
      1,
    );
    expect(await passkeyAttempt(key)).toEqual({ ok: true, userId: user.id, token: expect.any(String) });
    expect(await db().securityEvent.count({ where: { userId: user.id, tag: "2fa:key-new-browser" } })).toBe(1);
    key.userVerified = false;
    expect(await passkeyAttempt(key)).toEqual({ ok: false, code: "passkey_needs_verification" });
  });

  it("never skips the account's lockout", async () => {
    const user = await newUser();
    const { key } = await addKey(await session(user.id));
    for (let i = 0; i < LIMITS.loginPerAccount.max; i++) await hitLimit(LIMITS.loginPerAccount, `user:${user.id}`);
    expect(await passkeyAttempt(key)).toMatchObject({ ok: false, code: "rate_limited" });
  });

  it("refuses an answer to another browser's challenge", async () => {
    const user = await newUser();
    const { key } = await addKey(await session(user.id));
    const begun = await beginPasskeySignIn(sha256("browser A"), requestInfo());
    if (!begun.ok) throw new Error(begun.code);
    expect(await passkeySignIn(key.assert(begun.options.challenge), sha256("browser B"), requestInfo())).toEqual({
      ok: false,
      code: "key_challenge_expired",
    });
  });
});

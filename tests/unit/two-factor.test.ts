import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { generate } from "otplib";
import { db } from "@/lib/db/client";
import { createUser, findUserById } from "@/lib/accounts/users";
import { resolveSession } from "@/lib/accounts/sessions";
import {
  beginTotpEnrolment,
  confirmTotpEnrolment,
  disableTwoFactor,
  remainingRecoveryCodes,
  verifySecondFactor,
} from "@/lib/accounts/two-factor";
import {
  confirmedSession,
  createSession,
  mailTo,
  requestInfo,
  STRONG_PASSWORD,
  sudoSession,
  uniqueIdentity,
  withTempDataDir,
} from "./helpers";

const dataDir = withTempDataDir();
process.env.WHEELHOUSE_ENCRYPTION_KEY = crypto.randomBytes(32).toString("base64");

const MINUTE = 60 * 1000;
const after = (base: Date, ms: number) => new Date(base.getTime() + ms);
const codeAt = (secret: string, when: Date) => generate({ secret, epoch: Math.floor(when.getTime() / 1000) });
const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

/** A six-digit code that is valid for none of the steps accepted at `when`. */
async function wrongCodeAt(secret: string, when: Date, seed = 0): Promise<string> {
  const valid = new Set(await Promise.all([-30_000, 0, 30_000].map((d) => codeAt(secret, after(when, d)))));
  for (let n = 123_456 + seed * 7919; ; n++) {
    const candidate = String(n % 1_000_000).padStart(6, "0");
    if (!valid.has(candidate)) return candidate;
  }
}

/** beginTotpEnrolment from a session in sudo mode; throws when refused. */
async function begin(userId: string) {
  const r = await beginTotpEnrolment(await sudoSession(userId));
  if (!r.ok) throw new Error(r.code);
  return r;
}

async function newUser() {
  const r = await createUser({ ...uniqueIdentity("tfa"), password: STRONG_PASSWORD, verified: true }, null);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.user;
}

/** A user with TOTP enrolled at `t0`; returns the secret and the recovery codes. */
async function enrolledUser(t0 = new Date()) {
  const user = await newUser();
  const { secret } = await begin(user.id);
  const confirmed = await confirmTotpEnrolment(await sudoSession(user.id), await codeAt(secret, t0), requestInfo(), t0);
  if (!confirmed.ok) throw new Error(JSON.stringify(confirmed));
  return { user, secret, recoveryCodes: confirmed.recoveryCodes! };
}

describe("TOTP enrolment", () => {
  it("turns 2FA on once a code from the app confirms the secret, and hands out 10 recovery codes", async () => {
    const user = await newUser();
    const enrolment = await begin(user.id);
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.groupedSecret.replace(/ /g, "")).toBe(enrolment.secret);
    expect(enrolment.uri).toContain(`secret=${enrolment.secret}`);
    expect(enrolment.uri).toContain(encodeURIComponent(user.username));
    // Resuming shows the same secret, so a half-finished setup in the app still works.
    expect((await begin(user.id)).secret).toBe(enrolment.secret);
    expect((await findUserById(user.id))!.twoFactorEnabled).toBe(false);

    const t0 = new Date();
    const r = await confirmTotpEnrolment(
      await sudoSession(user.id),
      await codeAt(enrolment.secret, t0),
      requestInfo(),
      t0,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.recoveryCodes).toHaveLength(10);
    expect(new Set(r.recoveryCodes).size).toBe(10);
    for (const c of r.recoveryCodes!) expect(c).toMatch(/^wh-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/);
    expect((await findUserById(user.id))!.twoFactorEnabled).toBe(true);
    expect(await remainingRecoveryCodes(user.id)).toBe(10);

    const events = await db().securityEvent.findMany({ where: { userId: user.id, tag: "2fa:enabled" } });
    expect(events).toHaveLength(1);
    expect(
      (await mailTo(dataDir, user.email)).some((m) => /two-factor authentication was enabled/.test(m.subject)),
    ).toBe(true);
  });

  it("stores the secret encrypted and the recovery codes hashed", async () => {
    const { user, secret, recoveryCodes } = await enrolledUser();
    const row = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.totpSecret).toBeTruthy();
    expect(row.totpSecret).not.toBe(secret);
    expect(row.totpSecret).not.toContain(secret);
    expect(row.totpPendingSecret).toBeNull();
    const stored = await db().recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(10);
    const storedHashes = stored.map((s) => s.codeHash);
    for (const code of recoveryCodes) {
      expect(storedHashes).not.toContain(code);
      expect(storedHashes).toContain(sha256(code));
    }
  });

  it("keeps the pending secret encrypted too", async () => {
    const user = await newUser();
    const { secret } = await begin(user.id);
    const row = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.totpPendingSecret).toBeTruthy();
    expect(row.totpPendingSecret).not.toContain(secret);
    expect(row.totpSecret).toBeNull();
  });

  it("refuses a wrong confirmation code and leaves 2FA off", async () => {
    const user = await newUser();
    const { secret } = await begin(user.id);
    const t0 = new Date();
    const r = await confirmTotpEnrolment(await sudoSession(user.id), await wrongCodeAt(secret, t0), requestInfo(), t0);
    expect(r).toEqual({ ok: false, code: "invalid_code" });
    expect((await findUserById(user.id))!.twoFactorEnabled).toBe(false);
    expect(await remainingRecoveryCodes(user.id)).toBe(0);
  });

  it("cannot be started or confirmed again while 2FA is on", async () => {
    const t0 = new Date();
    const { user, secret } = await enrolledUser(t0);
    await expect(begin(user.id)).rejects.toThrow("app_already_enrolled");
    const again = await confirmTotpEnrolment(
      await sudoSession(user.id),
      await codeAt(secret, after(t0, 30_000)),
      requestInfo(),
      after(t0, 30_000),
    );
    expect(again).toEqual({ ok: false, code: "invalid_code" });
  });
});

describe("TOTP enrolment needs a fresh confirmation and ends older sessions (issue 9)", () => {
  it("refuses to start or confirm enrolment from a session that has not confirmed its identity", async () => {
    const user = await newUser();
    const token = await createSession(user.id, "full", requestInfo());
    const cookieOnly = (await resolveSession(token))!;
    expect(await beginTotpEnrolment(cookieOnly)).toEqual({ ok: false, code: "sudo_required" });
    // Even with a secret begun elsewhere, a cookie alone cannot confirm it.
    const { secret } = await begin(user.id);
    const t0 = new Date();
    expect(await confirmTotpEnrolment(cookieOnly, await codeAt(secret, t0), requestInfo(), t0)).toEqual({
      ok: false,
      code: "sudo_required",
    });
    expect((await findUserById(user.id))!.twoFactorEnabled).toBe(false);
  });

  it("signs out every other session, password-only ones included, when 2FA turns on", async () => {
    const user = await newUser();
    const older = await createSession(user.id, "full", requestInfo());
    const session = await sudoSession(user.id);
    const r = await beginTotpEnrolment(session);
    if (!r.ok) throw new Error(r.code);
    const t0 = new Date();
    expect((await confirmTotpEnrolment(session, await codeAt(r.secret, t0), requestInfo(), t0)).ok).toBe(true);
    expect(await resolveSession(older)).toBeNull();
    expect(await db().session.findUnique({ where: { idHash: session.idHash } })).not.toBeNull();
    const event = await db().securityEvent.findFirstOrThrow({ where: { userId: user.id, tag: "2fa:enabled" } });
    expect(event.details).toEqual({ method: "totp", sessionsRevoked: 1 });
  });
});

describe("verifySecondFactor with TOTP", () => {
  it("accepts a fresh code once, then refuses the same code as reused", async () => {
    const t0 = new Date();
    const { user, secret } = await enrolledUser(t0);
    const t1 = after(t0, 30_000);
    const code = await codeAt(secret, t1);
    expect(await verifySecondFactor(user.id, code, requestInfo(), t1)).toEqual({ ok: true, method: "totp" });
    expect(await verifySecondFactor(user.id, code, requestInfo(), after(t1, 5_000))).toEqual({
      ok: false,
      code: "code_reused",
    });
    // The next code works.
    const t2 = after(t0, 60_000);
    expect(await verifySecondFactor(user.id, await codeAt(secret, t2), requestInfo(), t2)).toEqual({
      ok: true,
      method: "totp",
    });
  });

  it("refuses the code that confirmed the enrolment", async () => {
    const t0 = new Date();
    const { user, secret } = await enrolledUser(t0);
    expect(await verifySecondFactor(user.id, await codeAt(secret, t0), requestInfo(), t0)).toEqual({
      ok: false,
      code: "code_reused",
    });
  });

  it("lets only one of two simultaneous requests with the same code through", async () => {
    const t0 = new Date();
    const { user, secret } = await enrolledUser(t0);
    const t1 = after(t0, 30_000);
    const code = await codeAt(secret, t1);
    const results = await Promise.all([1, 2, 3].map(() => verifySecondFactor(user.id, code, requestInfo(), t1)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === "code_reused")).toHaveLength(2);
  });

  it("refuses wrong codes and other input, recording each failure", async () => {
    const t0 = new Date();
    const { user, secret } = await enrolledUser(t0);
    const t1 = after(t0, 30_000);
    expect(await verifySecondFactor(user.id, await wrongCodeAt(secret, t1), requestInfo(), t1)).toEqual({
      ok: false,
      code: "invalid_code",
    });
    expect(await verifySecondFactor(user.id, "hello", requestInfo(), t1)).toEqual({ ok: false, code: "invalid_code" });
    expect(await verifySecondFactor(user.id, "", requestInfo(), t1)).toEqual({ ok: false, code: "invalid_code" });
    expect(await db().securityEvent.count({ where: { userId: user.id, tag: "2fa:failure" } })).toBe(3);
  });

  it("refuses a code made from another user's secret", async () => {
    const t0 = new Date();
    const [a, b] = await Promise.all([enrolledUser(t0), enrolledUser(t0)]);
    // The first later step at which b's code is none of the codes a's window accepts (almost
    // always the very next step), so that the refusal is asserted every run.
    let t1 = after(t0, 30_000);
    const acceptedForA = async (when: Date) =>
      Promise.all([-30_000, 0, 30_000].map((d) => codeAt(a.secret, after(when, d))));
    while ((await acceptedForA(t1)).includes(await codeAt(b.secret, t1))) t1 = after(t1, 30_000);
    const bCode = await codeAt(b.secret, t1);
    expect(await verifySecondFactor(a.user.id, bCode, requestInfo(), t1)).toEqual({ ok: false, code: "invalid_code" });
  });
});

describe("verifySecondFactor with recovery codes", () => {
  it("accepts each recovery code once, however it is typed", async () => {
    const { user, recoveryCodes } = await enrolledUser();
    const [first, second] = recoveryCodes as [string, string];
    expect(await verifySecondFactor(user.id, first, requestInfo())).toEqual({ ok: true, method: "recovery_code" });
    expect(await verifySecondFactor(user.id, first, requestInfo())).toEqual({ ok: false, code: "invalid_code" });
    expect(await remainingRecoveryCodes(user.id)).toBe(9);

    const typed = second.toUpperCase().replace(/-/g, " ");
    expect(await verifySecondFactor(user.id, typed, requestInfo())).toEqual({ ok: true, method: "recovery_code" });
    expect(await verifySecondFactor(user.id, second, requestInfo())).toEqual({ ok: false, code: "invalid_code" });
    expect(await remainingRecoveryCodes(user.id)).toBe(8);

    const used = await db().securityEvent.findMany({
      where: { userId: user.id, tag: "2fa:recovery-code-used" },
      orderBy: { id: "asc" },
    });
    expect(used.map((e) => e.details)).toEqual([{ remaining: 9 }, { remaining: 8 }]);
    const notices = (await mailTo(dataDir, user.email)).filter((m) => /recovery code was used/.test(m.subject));
    expect(notices.map((m) => m.subject)).toEqual(
      expect.arrayContaining([expect.stringContaining("9 left"), expect.stringContaining("8 left")]),
    );
  });

  it("refuses another account's recovery code and made-up ones", async () => {
    const [a, b] = await Promise.all([enrolledUser(), enrolledUser()]);
    expect(await verifySecondFactor(a.user.id, b.recoveryCodes[0]!, requestInfo())).toEqual({
      ok: false,
      code: "invalid_code",
    });
    expect(await verifySecondFactor(a.user.id, "wh-0000-0000-0000-0000", requestInfo())).toEqual({
      ok: false,
      code: "invalid_code",
    });
    // b's code was not spent by a's attempt.
    expect(await verifySecondFactor(b.user.id, b.recoveryCodes[0]!, requestInfo())).toEqual({
      ok: true,
      method: "recovery_code",
    });
  });
});

describe("rate limiting of second-factor codes", () => {
  it("after 10 wrong codes even the right code is refused until the window passes", async () => {
    const t0 = new Date();
    const { user, secret, recoveryCodes } = await enrolledUser(t0);
    const t1 = after(t0, 30_000);
    for (let i = 0; i < 10; i++) {
      const r = await verifySecondFactor(user.id, await wrongCodeAt(secret, t1, i), requestInfo(), t1);
      expect(r).toEqual({ ok: false, code: "invalid_code" });
    }
    const right = await codeAt(secret, t1);
    // The window opened with the enrolment code at t0 (counted, then refunded as a success).
    expect(await verifySecondFactor(user.id, right, requestInfo(), t1)).toEqual({
      ok: false,
      code: "rate_limited",
      retryAt: after(t0, 15 * MINUTE),
    });
    // Recovery codes are covered by the same limit, and a refused one is not spent.
    expect((await verifySecondFactor(user.id, recoveryCodes[0]!, requestInfo(), t1)).ok).toBe(false);
    expect(await remainingRecoveryCodes(user.id)).toBe(10);

    const t2 = after(t1, 15 * MINUTE);
    expect(await verifySecondFactor(user.id, await codeAt(secret, t2), requestInfo(), t2)).toEqual({
      ok: true,
      method: "totp",
    });
  });

  it("limits one IP trying codes across accounts after 50 failures", async () => {
    const t0 = new Date();
    const info = requestInfo();
    const users = await Promise.all(Array.from({ length: 6 }, () => newUser()));
    // Accounts without 2FA: every attempt fails, and counts against the IP.
    for (let i = 0; i < 50; i++) await verifySecondFactor(users[i % 6]!.id, "000000", info, t0);
    const { user, secret } = await enrolledUser(t0);
    const t1 = after(t0, 30_000);
    expect(await verifySecondFactor(user.id, await codeAt(secret, t1), info, t1)).toMatchObject({
      ok: false,
      code: "rate_limited",
    });
    expect(await verifySecondFactor(user.id, await codeAt(secret, t1), requestInfo(), t1)).toEqual({
      ok: true,
      method: "totp",
    });
  });

  it("does not let concurrent guesses exceed the per-account limit", async () => {
    // Ten guesses per 15 minutes is what makes a 6-digit code safe. Sent all at once, more than
    // ten guesses must not be checked.
    const t0 = new Date();
    const { user, secret } = await enrolledUser(t0);
    const t1 = after(t0, 30_000);
    const guesses = await Promise.all(Array.from({ length: 30 }, (_, i) => wrongCodeAt(secret, t1, i)));
    const results = await Promise.all(guesses.map((g) => verifySecondFactor(user.id, g, requestInfo(), t1)));
    const checked = results.filter((r) => !r.ok && r.code === "invalid_code").length;
    const limited = results.filter((r) => !r.ok && r.code === "rate_limited").length;
    expect({ checked, limited }).toEqual({ checked: 10, limited: 20 });
  });
});

describe("disableTwoFactor", () => {
  it("turns 2FA off, forgets secret and recovery codes, and signs out the other sessions", async () => {
    const t0 = new Date();
    const { user, secret, recoveryCodes } = await enrolledUser(t0);
    const { session, token: current } = await confirmedSession(user.id);
    const other = await createSession(user.id, "full", requestInfo());

    expect(await disableTwoFactor(session, requestInfo())).toEqual({ ok: true });

    expect((await findUserById(user.id))!.twoFactorEnabled).toBe(false);
    const row = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.totpSecret).toBeNull();
    expect(row.totpEnabledAt).toBeNull();
    expect(await remainingRecoveryCodes(user.id)).toBe(0);

    const t1 = after(t0, 30_000);
    expect(await verifySecondFactor(user.id, await codeAt(secret, t1), requestInfo(), t1)).toEqual({
      ok: false,
      code: "invalid_code",
    });
    expect(await verifySecondFactor(user.id, recoveryCodes[0]!, requestInfo(), t1)).toEqual({
      ok: false,
      code: "invalid_code",
    });

    expect(await resolveSession(current)).not.toBeNull();
    expect(await resolveSession(other)).toBeNull();
    const event = await db().securityEvent.findFirstOrThrow({ where: { userId: user.id, tag: "2fa:disabled" } });
    // `other`, and the session that enrolled the app.
    expect(event.details).toEqual({ sessionsRevoked: 2 });
    expect(
      (await mailTo(dataDir, user.email)).some((m) => /two-factor authentication was disabled/.test(m.subject)),
    ).toBe(true);

    // Enrolling again starts from a new secret.
    expect((await begin(user.id)).secret).not.toBe(secret);
  });
});

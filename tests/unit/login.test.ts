import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createUser } from "@/lib/accounts/users";
import { passwordStep } from "@/lib/accounts/login";
import { requestInfo, STRONG_PASSWORD, uniqueIdentity } from "./helpers";

const MINUTE = 60 * 1000;
const after = (base: Date, ms: number) => new Date(base.getTime() + ms);

async function newUser() {
  const id = uniqueIdentity("Login");
  const r = await createUser({ ...id, password: STRONG_PASSWORD, verified: true }, null);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.user;
}

const failures = (userId: string) => db().securityEvent.findMany({ where: { userId, tag: "account:login-failure" } });

describe("passwordStep", () => {
  it("signs in fully by username or email, in any case, when 2FA is off", async () => {
    const u = await newUser();
    for (const login of [u.username, u.username.toUpperCase(), `  ${u.username} `, u.email, u.email.toUpperCase()]) {
      expect(await passwordStep(login, STRONG_PASSWORD, requestInfo())).toEqual({
        ok: true,
        userId: u.id,
        stage: "full",
        token: expect.any(String),
      });
    }
  });

  it("stops at pending_2fa when the account has 2FA on", async () => {
    const u = await newUser();
    await db().user.update({ where: { id: u.id }, data: { twoFactorEnabledAt: new Date() } });
    expect(await passwordStep(u.username, STRONG_PASSWORD, requestInfo())).toEqual({
      ok: true,
      userId: u.id,
      stage: "pending_2fa",
      token: expect.any(String),
    });
  });

  it("answers a wrong password and an unknown account identically", async () => {
    const u = await newUser();
    const wrong = await passwordStep(u.username, "not the password at all", requestInfo());
    const unknown = await passwordStep(`nobody-${u.username}`, STRONG_PASSWORD, requestInfo());
    expect(wrong).toEqual({ ok: false, code: "invalid_credentials" });
    expect(unknown).toEqual(wrong);
  });

  it.each(["", " "])("refuses a blank login or password (%j)", async (blank) => {
    const u = await newUser();
    expect(await passwordStep(blank, STRONG_PASSWORD, requestInfo())).toEqual({
      ok: false,
      code: "invalid_credentials",
    });
    expect(await passwordStep(u.username, blank, requestInfo())).toEqual({ ok: false, code: "invalid_credentials" });
  });

  it("answers a login holding a NUL as invalid credentials, not a database error", async () => {
    const u = await newUser();
    for (const login of [`${u.username}\0`, "\0", `a\0b@example.com`]) {
      expect(await passwordStep(login, STRONG_PASSWORD, requestInfo())).toEqual({
        ok: false,
        code: "invalid_credentials",
      });
    }
  });

  it("compares the password exactly (case, trailing space)", async () => {
    const u = await newUser();
    expect((await passwordStep(u.username, STRONG_PASSWORD + " ", requestInfo())).ok).toBe(false);
    expect((await passwordStep(u.username, STRONG_PASSWORD.toUpperCase(), requestInfo())).ok).toBe(false);
  });

  it("records a failure event on the account, with the request's IP", async () => {
    const u = await newUser();
    const info = requestInfo();
    await passwordStep(u.email, "wrong password here", info);
    const events = await failures(u.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ ip: info.ip, userAgent: "vitest", details: { reason: "password" } });
    // A success records no failure.
    await passwordStep(u.email, STRONG_PASSWORD, info);
    expect(await failures(u.id)).toHaveLength(1);
  });

  it("limits an account after 10 failures, even from different IPs and with the right password", async () => {
    const u = await newUser();
    const t0 = new Date();
    for (let i = 0; i < 10; i++) {
      const r = await passwordStep(u.username, `wrong guess ${i}`, requestInfo(), after(t0, i * 1000));
      expect(r).toEqual({ ok: false, code: "invalid_credentials" });
    }
    const limited = await passwordStep(u.username, STRONG_PASSWORD, requestInfo(), after(t0, 11_000));
    expect(limited).toEqual({ ok: false, code: "rate_limited", retryAt: after(t0, 15 * MINUTE) });
    // Case does not make a new counter.
    expect((await passwordStep(u.username.toUpperCase(), STRONG_PASSWORD, requestInfo(), after(t0, 12_000))).ok).toBe(
      false,
    );
    // Once the window has passed, the right password works again.
    expect(await passwordStep(u.username, STRONG_PASSWORD, requestInfo(), after(t0, 15 * MINUTE))).toEqual({
      ok: true,
      userId: u.id,
      stage: "full",
      token: expect.any(String),
    });
    expect(await failures(u.id)).toHaveLength(10);
  });

  it("limits unknown accounts the same way, so the answer reveals nothing", async () => {
    const login = `ghost-${uniqueIdentity().username}`;
    const t0 = new Date();
    for (let i = 0; i < 10; i++) await passwordStep(login, "whatever guess", requestInfo(), after(t0, i));
    expect(await passwordStep(login, "whatever guess", requestInfo(), after(t0, 20))).toEqual({
      ok: false,
      code: "rate_limited",
      retryAt: after(t0, 15 * MINUTE),
    });
  });

  it("a successful sign-in resets the account's failure count", async () => {
    const u = await newUser();
    const t0 = new Date();
    for (let i = 0; i < 9; i++) await passwordStep(u.username, "wrong", requestInfo(), after(t0, i));
    expect((await passwordStep(u.username, STRONG_PASSWORD, requestInfo(), after(t0, 10))).ok).toBe(true);
    for (let i = 0; i < 9; i++) await passwordStep(u.username, "wrong", requestInfo(), after(t0, 20 + i));
    expect((await passwordStep(u.username, STRONG_PASSWORD, requestInfo(), after(t0, 40))).ok).toBe(true);
  });

  it("limits an IP after 50 failures, whichever accounts it tries", async () => {
    const u = await newUser();
    const info = requestInfo();
    const t0 = new Date();
    for (let i = 0; i < 50; i++) {
      await passwordStep(`spray-${i}-${u.username}`, "Password1!", info, after(t0, i));
    }
    const r = await passwordStep(u.username, STRONG_PASSWORD, info, after(t0, 100));
    expect(r).toEqual({ ok: false, code: "rate_limited", retryAt: after(t0, 15 * MINUTE) });
    // Another IP is unaffected.
    expect((await passwordStep(u.username, STRONG_PASSWORD, requestInfo(), after(t0, 101))).ok).toBe(true);
  });

  it("counts failures by username and by email against the same account", async () => {
    // The per-account limit is meant to bound password guesses against one account. Keyed by the
    // typed login, the username and the email address each get their own 10 guesses.
    const u = await newUser();
    const t0 = new Date();
    for (let i = 0; i < 10; i++) await passwordStep(u.username, `wrong guess ${i}`, requestInfo(), after(t0, i));
    const viaEmail = await passwordStep(u.email, "eleventh guess", requestInfo(), after(t0, 20));
    expect(viaEmail).toMatchObject({ ok: false, code: "rate_limited" });
  });

  it("does not let concurrent guesses exceed the per-account limit", async () => {
    // Ten guesses per window: firing many at once must not get more of them evaluated.
    const u = await newUser();
    const t0 = new Date();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => passwordStep(u.username, `parallel guess ${i}`, requestInfo(), t0)),
    );
    const evaluated = results.filter((r) => !r.ok && r.code === "invalid_credentials").length;
    const limited = results.filter((r) => !r.ok && r.code === "rate_limited").length;
    expect({ evaluated, limited }).toEqual({ evaluated: 10, limited: 20 });
  });
});

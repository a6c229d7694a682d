import { describe, expect, it } from "vitest";
import { generate } from "otplib";
import { checkTotp, groupSecret, newTotpSecret, totpUri } from "@/lib/accounts/totp";

// A fixed secret and clock keep every code, and so every test, deterministic.
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const STEP_START = 1_700_000_010; // a multiple of 30
const step = (epoch: number) => Math.floor(epoch / 30);
const codeAt = (epoch: number, secret = SECRET) => generate({ secret, epoch });
const dateAt = (epoch: number) => new Date(epoch * 1000);

// The start, middle and last second of a 30-second step.
describe.each([0, 15, 29])("checkTotp, %i s into the step", (offset) => {
  const now = STEP_START + offset;

  it("accepts the current code and reports its time step", async () => {
    expect(await checkTotp(SECRET, await codeAt(now), null, dateAt(now))).toEqual({ ok: true, timeStep: step(now) });
  });

  it("accepts the previous and the next code (one step of drift)", async () => {
    expect(await checkTotp(SECRET, await codeAt(now - 30), null, dateAt(now))).toEqual({
      ok: true,
      timeStep: step(now) - 1,
    });
    expect(await checkTotp(SECRET, await codeAt(now + 30), null, dateAt(now))).toEqual({
      ok: true,
      timeStep: step(now) + 1,
    });
  });

  it("refuses codes two steps away", async () => {
    expect(await checkTotp(SECRET, await codeAt(now - 60), null, dateAt(now))).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await checkTotp(SECRET, await codeAt(now + 60), null, dateAt(now))).toEqual({
      ok: false,
      reason: "invalid",
    });
  });
});

describe("checkTotp", () => {
  const now = STEP_START + 7;

  it("sanity: the fixed codes used here differ from each other", async () => {
    const codes = await Promise.all([-60, -30, 0, 30, 60].map((d) => codeAt(now + d)));
    expect(new Set(codes).size).toBe(5);
  });

  it("refuses a code from the last accepted time step or earlier as reused", async () => {
    const code = await codeAt(now);
    expect(await checkTotp(SECRET, code, step(now), dateAt(now))).toEqual({ ok: false, reason: "reused" });
    expect(await checkTotp(SECRET, code, step(now) + 1, dateAt(now))).toEqual({ ok: false, reason: "reused" });
    expect(await checkTotp(SECRET, await codeAt(now - 30), step(now) - 1, dateAt(now))).toEqual({
      ok: false,
      reason: "reused",
    });
  });

  it("accepts a code from a step after the last accepted one", async () => {
    expect(await checkTotp(SECRET, await codeAt(now), step(now) - 1, dateAt(now))).toEqual({
      ok: true,
      timeStep: step(now),
    });
    expect(await checkTotp(SECRET, await codeAt(now + 30), step(now), dateAt(now))).toEqual({
      ok: true,
      timeStep: step(now) + 1,
    });
  });

  it("refuses a code made from another secret", async () => {
    const other = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU";
    const code = await codeAt(now, other);
    expect(code).not.toBe(await codeAt(now));
    expect(await checkTotp(SECRET, code, null, dateAt(now))).toEqual({ ok: false, reason: "invalid" });
  });

  it("tolerates spaces, as people type codes in groups", async () => {
    const code = await codeAt(now);
    expect((await checkTotp(SECRET, `${code.slice(0, 3)} ${code.slice(3)}`, null, dateAt(now))).ok).toBe(true);
    expect((await checkTotp(SECRET, ` ${code} `, null, dateAt(now))).ok).toBe(true);
  });

  it.each(["", "12345", "1234567", "12345a", "abcdef", "１２３４５６", "12-345", "+12345", "123456\u0000"])(
    "refuses %j, which is not six digits",
    async (input) => {
      expect(await checkTotp(SECRET, input, null, dateAt(now))).toEqual({ ok: false, reason: "invalid" });
    },
  );

  it("refuses the right digits with a seventh appended", async () => {
    expect(await checkTotp(SECRET, `${await codeAt(now)}0`, null, dateAt(now))).toEqual({
      ok: false,
      reason: "invalid",
    });
  });
});

describe("TOTP secrets", () => {
  it("are 160-bit base32 strings, different every time", () => {
    const a = newTotpSecret();
    const b = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(a).not.toBe(b);
  });

  it("work with the code generator an authenticator app would use", async () => {
    const secret = newTotpSecret();
    const now = STEP_START + 3;
    expect((await checkTotp(secret, await codeAt(now, secret), null, dateAt(now))).ok).toBe(true);
  });

  it("are grouped in fours for typing", () => {
    expect(groupSecret(SECRET)).toBe("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
    expect(groupSecret(SECRET).replace(/ /g, "")).toBe(SECRET);
  });

  it("are offered to apps as an otpauth URI naming Wheelhouse and the user", () => {
    const uri = new URL(totpUri(SECRET, "alice"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toContain("alice");
    expect(uri.searchParams.get("secret")).toBe(SECRET);
    expect(uri.searchParams.get("issuer")).toBe("Wheelhouse");
  });
});

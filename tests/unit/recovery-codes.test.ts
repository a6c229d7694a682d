import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  generateRecoveryCode,
  generateRecoveryCodes,
  hashRecoveryCode,
  isRecoveryCodeShaped,
  normaliseRecoveryCode,
  RECOVERY_CODE_COUNT,
} from "@/lib/accounts/recovery-codes";

// Crockford's base32: digits and lower-case letters without i, l, o, u.
const FORMAT = /^wh-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/;

describe("generating recovery codes", () => {
  it("gives ten distinct codes in the wh-xxxx-xxxx-xxxx-xxxx format", () => {
    const codes = generateRecoveryCodes();
    expect(RECOVERY_CODE_COUNT).toBe(10);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(FORMAT);
  });

  it("uses the whole alphabet and never repeats (80 random bits)", () => {
    const codes = Array.from({ length: 2000 }, generateRecoveryCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(FORMAT);
    // 32,000 characters drawn: every one of the 32 letters shows up (and nothing else, by FORMAT).
    const used = new Set(codes.flatMap((c) => c.slice(3).replace(/-/g, "").split("")));
    expect(used.size).toBe(32);
  });

  it("every generated code reads back as itself", () => {
    for (const c of generateRecoveryCodes()) expect(normaliseRecoveryCode(c)).toBe(c);
  });
});

describe("normaliseRecoveryCode", () => {
  const code = "wh-4k7m-q2xz-9ab0-htvw";

  it.each([
    ["upper case", "WH-4K7M-Q2XZ-9AB0-HTVW"],
    ["spaces instead of dashes", "wh 4k7m q2xz 9ab0 htvw"],
    ["no dashes", "wh4k7mq2xz9ab0htvw"],
    ["surrounding spaces", "   wh-4k7m-q2xz-9ab0-htvw \n"],
    ["no prefix", "4k7m-q2xz-9ab0-htvw"],
    ["no prefix, no dashes, upper case", "4K7MQ2XZ9AB0HTVW"],
    ["stray spaces", "wh - 4k7m - q2xz - 9ab0 - htvw"],
    ["letter O for zero", "wh-4k7m-q2xz-9abO-htvw"],
  ])("accepts %s", (_what, typed) => {
    expect(normaliseRecoveryCode(typed)).toBe(code);
    expect(isRecoveryCodeShaped(typed)).toBe(true);
  });

  it("reads I and L as the digit 1", () => {
    expect(normaliseRecoveryCode("wh-1111-aaaa-bbbb-cccc")).toBe("wh-1111-aaaa-bbbb-cccc");
    expect(normaliseRecoveryCode("WH-IlLi-aaaa-bbbb-cccc")).toBe("wh-1111-aaaa-bbbb-cccc");
  });

  it.each([
    ["empty", ""],
    ["a TOTP code", "123456"],
    ["too short", "wh-4k7m-q2xz-9ab0-htv"],
    ["too long", "wh-4k7m-q2xz-9ab0-htvwx"],
    ["a letter outside the alphabet (u)", "wh-4k7m-q2xz-9ab0-htvu"],
    ["punctuation", "wh-4k7m-q2xz-9ab0-htv!"],
    ["another prefix", "xx-4k7m-q2xz-9ab0-htvw"],
  ])("rejects %s", (_what, typed) => {
    expect(normaliseRecoveryCode(typed)).toBeNull();
    expect(isRecoveryCodeShaped(typed)).toBe(false);
  });

  it("accepts a code whose own characters begin with 'wh' when typed without the prefix", () => {
    // 1 code in 1024 starts with "wh" (both letters are in the alphabet). Typed without the
    // optional "wh-" prefix, its own first two characters must not be taken for the prefix.
    const special = "wh-whab-cdef-ghjk-mnpq";
    expect(normaliseRecoveryCode(special)).toBe(special);
    expect(normaliseRecoveryCode("whab-cdef-ghjk-mnpq")).toBe(special);
    expect(normaliseRecoveryCode("WHAB CDEF GHJK MNPQ")).toBe(special);
  });
});

describe("hashRecoveryCode", () => {
  it("is the sha256 hex of the normalised code, not the code itself", () => {
    const code = generateRecoveryCode();
    const h = hashRecoveryCode(code);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).toBe(crypto.createHash("sha256").update(code).digest("hex"));
    expect(h).not.toContain(code.slice(3));
  });

  it("matches however the user typed the code, once normalised", () => {
    const code = generateRecoveryCode();
    const typed = code.toUpperCase().replace(/-/g, " ");
    expect(hashRecoveryCode(normaliseRecoveryCode(typed)!)).toBe(hashRecoveryCode(code));
  });

  it("differs between codes", () => {
    const codes = generateRecoveryCodes();
    expect(new Set(codes.map(hashRecoveryCode)).size).toBe(codes.length);
  });
});

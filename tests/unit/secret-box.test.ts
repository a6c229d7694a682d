import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateKey, open, parseKey, seal, SecretBoxError } from "@/lib/crypto/secret-box";

const key = parseKey(generateKey());
const CONTEXT = "totp:00000000-0000-4000-8000-000000000001";
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/** Decodes one dot-separated part, lets `change` alter its bytes, and re-encodes it. */
function alterPart(sealed: string, index: 1 | 2 | 3, change: (b: Buffer) => Buffer): string {
  const parts = sealed.split(".");
  parts[index] = change(Buffer.from(parts[index]!, "base64url")).toString("base64url");
  return parts.join(".");
}
const flip = (at: number) => (b: Buffer) => {
  const c = Buffer.from(b);
  c[at] = c[at]! ^ 0x01;
  return c;
};

describe("seal and open", () => {
  it.each([SECRET, "", "ünïcødé ✓ 🔑", "x".repeat(10_000)])("round-trips %#", (plaintext) => {
    expect(open(key, seal(key, plaintext, CONTEXT), CONTEXT)).toBe(plaintext);
  });

  it("produces v1.<iv>.<tag>.<data> without the plaintext in it", () => {
    const sealed = seal(key, SECRET, CONTEXT);
    const [version, iv, tag, data] = sealed.split(".");
    expect(sealed.split(".")).toHaveLength(4);
    expect(version).toBe("v1");
    expect(Buffer.from(iv!, "base64url")).toHaveLength(12);
    expect(Buffer.from(tag!, "base64url")).toHaveLength(16);
    expect(Buffer.from(data!, "base64url")).toHaveLength(SECRET.length);
    expect(sealed).not.toContain(SECRET);
    expect(sealed).not.toContain(Buffer.from(SECRET).toString("base64url"));
  });

  it("uses a fresh IV each time, so equal secrets do not look equal", () => {
    const a = seal(key, SECRET, CONTEXT);
    const b = seal(key, SECRET, CONTEXT);
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
  });
});

describe("tamper detection", () => {
  const sealed = seal(key, SECRET, CONTEXT);

  it.each([
    ["the IV, first byte", 1, 0],
    ["the IV, last byte", 1, 11],
    ["the tag, first byte", 2, 0],
    ["the tag, last byte", 2, 15],
    ["the data, first byte", 3, 0],
    ["the data, last byte", 3, SECRET.length - 1],
  ] as const)("refuses a flipped bit in %s", (_what, part, byte) => {
    const tampered = alterPart(sealed, part, flip(byte));
    expect(tampered).not.toBe(sealed);
    expect(() => open(key, tampered, CONTEXT)).toThrow(SecretBoxError);
  });

  it("refuses data that was cut short or extended", () => {
    expect(() =>
      open(
        key,
        alterPart(sealed, 3, (b) => b.subarray(0, b.length - 1)),
        CONTEXT,
      ),
    ).toThrow(SecretBoxError);
    expect(() =>
      open(
        key,
        alterPart(sealed, 3, (b) => Buffer.concat([b, Buffer.from([0])])),
        CONTEXT,
      ),
    ).toThrow(SecretBoxError);
  });

  it("refuses another version or a malformed string", () => {
    expect(() => open(key, sealed.replace(/^v1\./, "v2."), CONTEXT)).toThrow(SecretBoxError);
    expect(() => open(key, sealed.split(".").slice(0, 3).join("."), CONTEXT)).toThrow(SecretBoxError);
    expect(() => open(key, "", CONTEXT)).toThrow(SecretBoxError);
    expect(() => open(key, SECRET, CONTEXT)).toThrow(SecretBoxError);
  });

  it("refuses a truncated authentication tag", () => {
    // GCM's security rests on the full 16-byte tag. A tag cut to 4 bytes is still a prefix of the
    // right one, so accepting it means the ciphertext was altered and nobody noticed.
    for (const length of [4, 8, 12, 15]) {
      const truncated = alterPart(sealed, 2, (b) => b.subarray(0, length));
      expect(() => open(key, truncated, CONTEXT), `tag of ${length} bytes`).toThrow(SecretBoxError);
    }
  });

  it("refuses the wrong key", () => {
    const other = parseKey(generateKey());
    expect(() => open(other, sealed, CONTEXT)).toThrow(SecretBoxError);
  });

  it("refuses the wrong context (a secret moved to another user)", () => {
    expect(() => open(key, sealed, "totp:00000000-0000-4000-8000-000000000002")).toThrow(SecretBoxError);
    expect(() => open(key, sealed, "")).toThrow(SecretBoxError);
  });

  it("says what went wrong without revealing the secret", () => {
    try {
      open(parseKey(generateKey()), sealed, CONTEXT);
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/WHEELHOUSE_ENCRYPTION_KEY|tampered/);
      expect((err as Error).message).not.toContain(SECRET);
    }
  });
});

describe("parseKey", () => {
  const raw = crypto.randomBytes(32);

  it("reads 32 bytes as base64 or as 64 hex characters, the same key either way", () => {
    expect(parseKey(raw.toString("base64")).equals(raw)).toBe(true);
    expect(parseKey(raw.toString("hex")).equals(raw)).toBe(true);
    expect(parseKey(`  ${raw.toString("base64")}\n`).equals(raw)).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["16 bytes of base64", crypto.randomBytes(16).toString("base64")],
    ["31 bytes of base64", crypto.randomBytes(31).toString("base64")],
    ["33 bytes of base64", crypto.randomBytes(33).toString("base64")],
    ["62 hex characters", crypto.randomBytes(31).toString("hex")],
    ["a passphrase", "my encryption key"],
  ])("rejects %s", (_what, encoded) => {
    expect(() => parseKey(encoded)).toThrow(SecretBoxError);
    expect(() => parseKey(encoded)).toThrow(/32 bytes/);
  });

  it("generateKey makes distinct, usable keys", () => {
    const a = generateKey();
    const b = generateKey();
    expect(a).not.toBe(b);
    expect(parseKey(a)).toHaveLength(32);
    const sealed = seal(parseKey(a), "x", "c");
    expect(open(parseKey(a), sealed, "c")).toBe("x");
  });
});

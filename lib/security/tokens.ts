// Random tokens for links, sessions and API keys, and the hashing and comparison they are stored under.
import crypto from "node:crypto";

/** A URL-safe random token; 32 bytes give 256 bits, far past guessing. */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString("base64url");
}

/** Tokens with 128+ bits of entropy need no slow hash: sha256 keeps a leaked table useless. */
export function sha256Hex(value: string): string {
  return crypto.createHash("sha256").update(value).digest("hex");
}

/** Constant-time string comparison (lengths may leak, contents do not). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  if (x.length !== y.length) {
    crypto.timingSafeEqual(x, x);
    return false;
  }
  return crypto.timingSafeEqual(x, y);
}

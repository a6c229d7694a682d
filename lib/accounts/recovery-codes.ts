// Recovery codes: ten single-use codes shown once, stored as sha256 hashes. Format "wh-xxxx-xxxx-xxxx-xxxx"
// (80 bits from an unambiguous alphabet), recognisable and easy to read aloud.
import "server-only";
import crypto from "node:crypto";
import { sha256Hex } from "@/lib/security/tokens";

export const RECOVERY_CODE_COUNT = 10;
// Crockford's base32: no I, L, O, U, so nothing is misread.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export function generateRecoveryCode(): string {
  const bytes = crypto.randomBytes(16);
  let chars = "";
  for (let i = 0; i < 16; i++) chars += ALPHABET[bytes[i]! & 31];
  return `wh-${chars.match(/.{4}/g)!.join("-")}`;
}

export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
}

/** Accepts what a person types: any case, spaces or missing dashes, look-alike letters. */
export function normaliseRecoveryCode(input: string): string | null {
  let s = input.trim().toLowerCase().replace(/[\s-]/g, "");
  // "wh" is the prefix only when a whole code follows it: codes may themselves begin with "wh".
  if (s.length === 18 && s.startsWith("wh")) s = s.slice(2);
  s = s.replace(/[il]/g, "1").replace(/o/g, "0");
  if (!new RegExp(`^[${ALPHABET}]{16}$`).test(s)) return null;
  return `wh-${s.match(/.{4}/g)!.join("-")}`;
}

export const isRecoveryCodeShaped = (input: string) => normaliseRecoveryCode(input) !== null;

export function hashRecoveryCode(code: string): string {
  return sha256Hex(code);
}

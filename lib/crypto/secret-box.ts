// AES-256-GCM for secrets at rest (TOTP seeds). Ciphertexts are self-describing:
// "v1.<iv>.<tag>.<data>" in base64url, so the format can change without guessing.
import crypto from "node:crypto";

export class SecretBoxError extends Error {}

export function parseKey(encoded: string): Buffer {
  const key = Buffer.from(encoded.trim(), encoded.trim().length === 64 ? "hex" : "base64");
  if (key.length !== 32) {
    throw new SecretBoxError("WHEELHOUSE_ENCRYPTION_KEY must be 32 bytes, as 64 hex characters or base64.");
  }
  return key;
}

export function generateKey(): string {
  return crypto.randomBytes(32).toString("base64");
}

/** `context` binds a ciphertext to its use (e.g. the user id): moved elsewhere, it fails to open. */
export function seal(key: Buffer, plaintext: string, context: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(
    ".",
  );
}

export function open(key: Buffer, sealed: string, context: string): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || data === undefined)
    throw new SecretBoxError("Unrecognised ciphertext format.");
  try {
    // authTagLength pins the tag to 16 bytes: Node would otherwise accept a truncated (forgeable) tag.
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError("Decryption failed: wrong WHEELHOUSE_ENCRYPTION_KEY or tampered data.");
  }
}

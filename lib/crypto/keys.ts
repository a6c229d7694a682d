// The encryption key for secrets at rest, from configuration. Start-up (lib/runtime/bootstrap.ts)
// has already checked that it opens what the database holds.
import "server-only";
import { parseKey } from "./secret-box";

let key: Buffer | undefined;

export function encryptionKey(): Buffer {
  if (key) return key;
  const encoded = process.env.WHEELHOUSE_ENCRYPTION_KEY;
  if (!encoded) {
    throw new Error("WHEELHOUSE_ENCRYPTION_KEY is not set: start Wheelhouse through `npm start` or set it.");
  }
  key = parseKey(encoded);
  return key;
}

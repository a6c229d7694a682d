// The encryption key for secrets at rest, from configuration. Start-up (lib/runtime/bootstrap.ts)
// has already checked that it opens what the database holds.
import "server-only";
import { settled } from "@/lib/config";
import { parseKey } from "./secret-box";

let key: Buffer | undefined;

export function encryptionKey(): Buffer {
  if (key) return key;
  key = parseKey(settled("encryptionKey"));
  return key;
}

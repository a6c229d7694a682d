// The session cookie's name and how to read it from a Cookie header: shared by Auth.js's wiring and
// by the server's fast paths, which must tell anonymous requests apart without loading Auth.js.
import { parse } from "cookie";
import { sha256Hex } from "@/lib/security/tokens";

export const SESSION_COOKIE = "wheelhouse_session";

/** Binds a passkey sign-in's challenge to the browser that asked for it (no session exists yet). */
export const PASSKEY_COOKIE = "wheelhouse_passkey";

/** What lib/accounts/sessions.ts issues: 32 random bytes, base64url. */
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

// Never throws: the header is the client's to garble (`cookie` keeps a value it cannot decode as is).
function cookieFrom(cookieHeader: string | null | undefined, name: string): string | null {
  return (cookieHeader ? parse(cookieHeader)[name] : undefined) ?? null;
}

/** The session token in a Cookie header, or null when there is none or the value cannot be one. */
export function sessionTokenFrom(cookieHeader: string | null | undefined): string | null {
  const value = cookieFrom(cookieHeader, SESSION_COOKIE);
  return value !== null && SESSION_TOKEN.test(value) ? value : null;
}

/** The challenge binding (sha256 of the passkey cookie) in a Cookie header, or null. */
export function passkeyBindingFrom(cookieHeader: string | null | undefined): string | null {
  const token = cookieFrom(cookieHeader, PASSKEY_COOKIE);
  return token && token.length <= 100 ? sha256Hex(token) : null;
}

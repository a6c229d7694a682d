// The session cookie's name and how to read it from a Cookie header: shared by Auth.js's wiring and
// by the server's fast paths, which must tell anonymous requests apart without loading Auth.js.
import { sha256Hex } from "@/lib/security/tokens";

export const SESSION_COOKIE = "wheelhouse_session";

/** Binds a passkey sign-in's challenge to the browser that asked for it (no session exists yet). */
export const PASSKEY_COOKIE = "wheelhouse_passkey";

function cookieFrom(cookieHeader: string | null | undefined, name: string): string | null {
  const match = (cookieHeader ?? "").split(/;\s*/).find((c) => c.startsWith(`${name}=`));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : null;
}

/** The session token in a Cookie header, or null when there is none. */
export function sessionTokenFrom(cookieHeader: string | null | undefined): string | null {
  return cookieFrom(cookieHeader, SESSION_COOKIE);
}

/** The challenge binding (sha256 of the passkey cookie) in a Cookie header, or null. */
export function passkeyBindingFrom(cookieHeader: string | null | undefined): string | null {
  const token = cookieFrom(cookieHeader, PASSKEY_COOKIE);
  return token && token.length <= 100 ? sha256Hex(token) : null;
}

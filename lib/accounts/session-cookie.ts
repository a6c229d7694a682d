// The session cookie's name and how to read it from a Cookie header: shared by Auth.js's wiring and
// by the server's fast paths, which must tell anonymous requests apart without loading Auth.js.
import { parse } from "cookie";

export const SESSION_COOKIE = "wheelhouse_session";

/** What lib/accounts/sessions.ts issues: 32 random bytes, base64url. */
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The session token in a Cookie header, or null when there is none or the value cannot be one.
 * Never throws: the header is the client's to garble (`cookie` keeps a value it cannot decode as is).
 */
export function sessionTokenFrom(cookieHeader: string | null | undefined): string | null {
  const value = cookieHeader ? parse(cookieHeader)[SESSION_COOKIE] : undefined;
  return value !== undefined && SESSION_TOKEN.test(value) ? value : null;
}

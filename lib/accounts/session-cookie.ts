// The session cookie's name and how to read it from a Cookie header: shared by Auth.js's wiring and
// by the server's fast paths, which must tell anonymous requests apart without loading Auth.js.
export const SESSION_COOKIE = "wheelhouse_session";

/** The session token in a Cookie header, or null when there is none. */
export function sessionTokenFrom(cookieHeader: string | null | undefined): string | null {
  const match = (cookieHeader ?? "").split(/;\s*/).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  return match ? decodeURIComponent(match.slice(SESSION_COOKIE.length + 1)) : null;
}

// Who is signed in, for pages and actions. Reads the same session row as Auth.js's decode (one
// lookup per request, cached), and never treats a pending_2fa session as signed in.
import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { resolveSession, signedIn, type ActiveSession } from "./sessions";
import { SESSION_COOKIE } from "./session-cookie";
import { safeNext } from "./rules";
import { REQUEST_TARGET_HEADER } from "@/lib/http/client-ip";

export { SUDO_TTL_MS, inSudoMode } from "./sessions";

/** The session behind this request's cookie, whatever its stage; reads again each call. */
export async function readSession(): Promise<ActiveSession | null> {
  return resolveSession((await cookies()).get(SESSION_COOKIE)?.value);
}

/** readSession, once per request. */
export const getSession = cache(readSession);

/** A fully signed-in session, or null. */
export async function currentSession(): Promise<ActiveSession | null> {
  return signedIn(await getSession());
}

/**
 * For pages that need a signed-in user: sends anyone else to the sign-in page and back to `path`,
 * with the query the page was asked with (`?page=3`), which pages do not know how to rebuild.
 */
export async function requireSession(path: string): Promise<ActiveSession> {
  const session = await currentSession();
  if (!session) redirect(`/account/login?next=${encodeURIComponent(safeNext(path + (await requestQuery())))}`);
  return session;
}

/** The query string of this request's target, without Next's own `_rsc` cache buster; "" for none. */
async function requestQuery(): Promise<string> {
  const target = (await headers()).get(REQUEST_TARGET_HEADER);
  if (!target) return "";
  const query = new URLSearchParams(target.split("#")[0]!.split("?").slice(1).join("?"));
  query.delete("_rsc");
  const search = query.toString();
  return search ? `?${search}` : "";
}

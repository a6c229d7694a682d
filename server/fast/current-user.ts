// /_includes/current-user answered by the edge: who is signed in, for the header and the "Manage
// project" link of pages that are the same bytes for every visitor (pypi.org's
// /_includes/current-user-indicator/). The pages never read the session, so the edge keeps one copy
// of each for everyone (./project-pages.ts); this small answer is the only personal part, and is
// never stored. A signed-in browser asks for it with every page it shows: through the Next.js worker
// it cost ~6 ms of the worker's time each (Next's floor), here one lookup of the session row by
// the same code pages use (lib/accounts/sessions.ts: expiry, revocation, the idle clock, the stage).
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { resolveSession, signedIn } from "@/lib/accounts/sessions";
import { sessionTokenFrom } from "@/lib/accounts/session-cookie";
import { securityHeaders } from "@/lib/http/security-headers";
import type { CurrentUser } from "@/components/account/current-user";

export async function serveCurrentUser(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const session = signedIn(await resolveSession(sessionTokenFrom(req.headers.cookie)));
  const body: CurrentUser = { username: session?.user.username ?? null };
  res.writeHead(200, [
    "content-type",
    "application/json",
    "cache-control",
    "private, no-store",
    ...securityHeaders(null),
  ]);
  res.end(req.method === "HEAD" ? undefined : JSON.stringify(body));
  return true;
}

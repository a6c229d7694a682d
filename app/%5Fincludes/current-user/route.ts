// /_includes/current-user: who is signed in, for the header and the "Manage project" link of pages
// that are the same bytes for every visitor (pypi.org's /_includes/current-user-indicator/). The
// pages themselves never read the session, so the server may keep one copy of each for everyone
// (server/fast/project-pages.ts); this small answer is the only personal part, and is never stored.
import { currentSession } from "@/lib/accounts/current";
import type { CurrentUser } from "@/components/account/current-user";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const session = await currentSession();
  const body: CurrentUser = { username: session?.user.username ?? null };
  return Response.json(body, { headers: { "cache-control": "private, no-store" } });
}

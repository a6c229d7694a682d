// A signed-out visit to a page that needs a session goes to the sign-in page with the way back,
// query included (`/account/history?page=3` comes back to page 3), never to another site.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { REQUEST_TARGET_HEADER } from "@/lib/http/client-ip";
import { requireSession } from "@/lib/accounts/current";

// The request a page renders in: no session cookie, and the target server/main.ts hands the app.
let target: string | null = null;
vi.mock("next/headers", () => ({
  headers: async () => new Headers(target === null ? {} : { [REQUEST_TARGET_HEADER]: target }),
  cookies: async () => ({ get: () => undefined }),
}));

/** Where requireSession sends a signed-out visitor (Next's redirect() throws it). */
async function redirectOf(path: string): Promise<string> {
  const err = (await requireSession(path).then(
    () => null,
    (e: unknown) => e,
  )) as { digest?: string } | null;
  const location = err?.digest?.split(";")[2];
  if (!location) throw new Error(`no redirect: ${String(err)}`);
  return new URL(location, "http://wheelhouse.test").searchParams.get("next")!;
}

describe("requireSession", () => {
  beforeEach(() => {
    target = null;
  });

  it("keeps the page's query, without Next's _rsc cache buster", async () => {
    target = "/account/history?page=3&_rsc=1x2y3";
    expect(await redirectOf("/account/history")).toBe("/account/history?page=3");
    target = "/manage/project/demo?tab=files&q=a%20b";
    expect(await redirectOf("/manage/project/demo")).toBe("/manage/project/demo?tab=files&q=a+b");
  });

  it("sends back to the page alone when there is no query", async () => {
    target = "/account/tokens";
    expect(await redirectOf("/account/tokens")).toBe("/account/tokens");
    target = null;
    expect(await redirectOf("/account/tokens")).toBe("/account/tokens");
  });

  it("never lets the query turn the way back into another site", async () => {
    target = "/account/history?next=//evil.example/&page=%0d%0a";
    const next = await redirectOf("/account/history");
    expect(next.startsWith("/account/history?")).toBe(true);
  });
});

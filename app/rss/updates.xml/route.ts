// GET /rss/updates.xml: the latest releases of every project (as pypi.org's feed of the same name).
import { FEED_CONTENT_TYPE, latestReleasesFeed } from "@/lib/index-api/feeds";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  return new Response(await latestReleasesFeed(), {
    headers: { "content-type": FEED_CONTENT_TYPE, "cache-control": "public, max-age=60" },
  });
}

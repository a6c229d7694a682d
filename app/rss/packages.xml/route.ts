// GET /rss/packages.xml: the newest projects (as pypi.org's feed of the same name).
import { FEED_CONTENT_TYPE, newestProjectsFeed } from "@/lib/index-api/feeds";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  return new Response(await newestProjectsFeed(), {
    headers: { "content-type": FEED_CONTENT_TYPE, "cache-control": "public, max-age=60" },
  });
}

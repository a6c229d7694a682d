// GET /rss/project/<name>/releases.xml: one project's releases; other spellings of the name redirect.
import { FEED_CONTENT_TYPE, projectReleasesFeed } from "@/lib/index-api/feeds";
import { normalizeName } from "@/lib/packaging/names";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
  const { name } = await params;
  const normalized = normalizeName(name);
  if (normalized !== name) {
    return new Response(null, {
      status: 301,
      headers: { location: `/rss/project/${encodeURIComponent(normalized)}/releases.xml` },
    });
  }
  const feed = await projectReleasesFeed(normalized);
  if (feed === null)
    return new Response("No project has this name.\n", {
      status: 404,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  return new Response(feed, { headers: { "content-type": FEED_CONTENT_TYPE, "cache-control": "public, max-age=60" } });
}

// RSS 2.0 feeds, as pypi.org offers them: the newest projects, the latest releases, and one
// project's releases. Absolute links use the public address (WHEELHOUSE_URL).
import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { escapeHtml } from "@/lib/util/escape-html";

const ITEMS = 40;
export const FEED_CONTENT_TYPE = "application/rss+xml; charset=utf-8";

interface FeedItem {
  title: string;
  link: string;
  description: string | null;
  author: string | null;
  date: Date;
}

function render(
  channel: { title: string; link: string; self: string; description: string },
  items: FeedItem[],
): string {
  // XML 1.0 cannot carry most control characters at all, escaped or not.
  const x = (text: string) => escapeHtml(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ""));
  const entries = items.map((i) => {
    const description = i.description ? `      <description>${x(i.description)}</description>\n` : "";
    const author = i.author ? `      <dc:creator>${x(i.author)}</dc:creator>\n` : "";
    return `    <item>
      <title>${x(i.title)}</title>
      <link>${x(i.link)}</link>
      <guid isPermaLink="false">${x(`${i.link}#${i.date.toISOString()}`)}</guid>
${description}${author}      <pubDate>${i.date.toUTCString()}</pubDate>
    </item>
`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>${x(channel.title)}</title>
    <link>${x(channel.link)}</link>
    <description>${x(channel.description)}</description>
    <atom:link href="${x(channel.self)}" rel="self" type="application/rss+xml" />
    <language>en</language>
${entries.join("")}  </channel>
</rss>
`;
}

/** The newest projects, newest first. */
export async function newestProjectsFeed(): Promise<string> {
  const base = config().baseUrl;
  const projects = await db().project.findMany({
    where: { latestVersion: { not: null } },
    orderBy: { createdAt: "desc" },
    take: ITEMS,
    select: { name: true, normalizedName: true, summary: true, createdAt: true },
  });
  return render(
    {
      title: "Wheelhouse: newest projects",
      link: `${base}/`,
      self: `${base}/rss/packages.xml`,
      description: "The projects most recently added to this index.",
    },
    projects.map((p) => ({
      title: `${p.name} added`,
      link: `${base}/project/${p.normalizedName}`,
      description: p.summary,
      author: null,
      date: p.createdAt,
    })),
  );
}

/** The latest releases of every project, newest first. */
export async function latestReleasesFeed(): Promise<string> {
  const base = config().baseUrl;
  const releases = await db().release.findMany({
    orderBy: { createdAt: "desc" },
    take: ITEMS,
    select: {
      version: true,
      summary: true,
      author: true,
      createdAt: true,
      project: { select: { name: true, normalizedName: true } },
    },
  });
  return render(
    {
      title: "Wheelhouse: latest releases",
      link: `${base}/`,
      self: `${base}/rss/updates.xml`,
      description: "The releases most recently published on this index.",
    },
    releases.map((r) => ({
      title: `${r.project.name} ${r.version}`,
      link: `${base}/project/${r.project.normalizedName}/${encodeURIComponent(r.version)}`,
      description: r.summary,
      author: r.author,
      date: r.createdAt,
    })),
  );
}

/** One project's releases, newest first; null when no project has this normalized name. */
export async function projectReleasesFeed(normalizedName: string): Promise<string | null> {
  const base = config().baseUrl;
  const project = await db().project.findUnique({
    where: { normalizedName },
    select: {
      name: true,
      normalizedName: true,
      releases: {
        orderBy: { createdAt: "desc" },
        take: ITEMS,
        select: { version: true, summary: true, author: true, createdAt: true },
      },
    },
  });
  if (!project) return null;
  const link = `${base}/project/${project.normalizedName}`;
  return render(
    {
      title: `Wheelhouse: latest releases for ${project.name}`,
      link,
      self: `${base}/rss/project/${project.normalizedName}/releases.xml`,
      description: `The latest releases of ${project.name}.`,
    },
    project.releases.map((r) => ({
      title: r.version,
      link: `${link}/${encodeURIComponent(r.version)}`,
      description: r.summary,
      author: r.author,
      date: r.createdAt,
    })),
  );
}

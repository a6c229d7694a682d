import type { Metadata } from "next";
import { cache } from "react";
import { notFound, permanentRedirect } from "next/navigation";
import { projectPage } from "@/lib/browse/pages";
import { findRelease, selectLatestRelease } from "@/lib/index-api/json";
import { normalizeName } from "@/lib/packaging/names";
import { ProjectView } from "@/components/browse/project-view";

export const dynamic = "force-dynamic";

type Params = Promise<{ name: string; version: string }>;

const loadProject = cache((normalizedName: string) => projectPage(normalizedName));

/** The URL's version segment as text, whether or not the router already decoded it (versions never contain `%`). */
function versionParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { name, version } = await params;
  const project = normalizeName(name) === name ? await loadProject(name) : null;
  const release = project ? findRelease(project.releases, versionParam(version)) : null;
  if (!project || !release) return { title: "Version not found" };
  return {
    title: `${project.name} ${release.version}`,
    description: release.summary ?? undefined,
    // Search engines should send people to the project page, not to old releases.
    robots: { index: false },
    alternates: {
      types: {
        "application/rss+xml": [
          { url: `/rss/project/${project.normalizedName}/releases.xml`, title: `Releases of ${project.name}` },
        ],
      },
    },
  };
}

export default async function ReleasePage({ params }: { params: Params }) {
  const { name, version: rawVersion } = await params;
  const version = versionParam(rawVersion);
  const normalized = normalizeName(name);
  if (normalized !== name)
    permanentRedirect(`/project/${encodeURIComponent(normalized)}/${encodeURIComponent(version)}`);
  const project = await loadProject(name);
  if (!project) notFound();
  const release = findRelease(project.releases, version);
  if (!release) notFound();
  // "1.0" finds "1.0.0": send people to the spelling the release was published under.
  if (release.version !== version) permanentRedirect(`/project/${name}/${encodeURIComponent(release.version)}`);
  return <ProjectView project={project} release={release} latest={selectLatestRelease(project.releases)} pinned />;
}

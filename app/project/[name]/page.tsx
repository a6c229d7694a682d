import type { Metadata } from "next";
import { cache } from "react";
import { notFound, permanentRedirect } from "next/navigation";
import { projectPage } from "@/lib/browse/pages";
import { selectLatestRelease } from "@/lib/index-api/json";
import { normalizeName } from "@/lib/packaging/names";
import { ProjectView } from "@/components/browse/project-view";

export const dynamic = "force-dynamic";

type Params = Promise<{ name: string }>;

// generateMetadata and the page share one lookup per request.
const loadProject = cache((normalizedName: string) => projectPage(normalizedName));

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { name } = await params;
  const project = normalizeName(name) === name ? await loadProject(name) : null;
  if (!project) return { title: "Project not found" };
  const latest = selectLatestRelease(project.releases);
  return {
    title: latest ? `${project.name} ${latest.version}` : project.name,
    description: latest?.summary ?? undefined,
    alternates: {
      types: {
        "application/rss+xml": [
          { url: `/rss/project/${project.normalizedName}/releases.xml`, title: `Releases of ${project.name}` },
        ],
      },
    },
  };
}

export default async function ProjectPage({ params }: { params: Params }) {
  const { name } = await params;
  const normalized = normalizeName(name);
  if (normalized !== name) permanentRedirect(`/project/${encodeURIComponent(normalized)}`);
  const project = await loadProject(name);
  if (!project) notFound();
  const latest = selectLatestRelease(project.releases);
  return <ProjectView project={project} release={latest} latest={latest} pinned={false} />;
}

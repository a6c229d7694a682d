// The home page's "recently updated" list.
import Link from "next/link";
import { ProjectSnippet } from "./project-snippet";
import { LocalTime } from "@/components/ui/local-time";

export function RecentProjects({
  projects,
}: {
  projects: { name: string; version: string | null; summary: string | null; updatedAt: Date }[];
}) {
  if (projects.length === 0) {
    return (
      <p className="muted" data-testid="recent-projects">
        Nothing has been published yet. <Link href="/help">Read how to publish</Link> the first project.
      </p>
    );
  }
  return (
    <ul className="project-list" data-testid="recent-projects">
      {projects.map((p) => (
        <li key={p.name}>
          <ProjectSnippet
            name={p.name}
            version={p.version}
            summary={p.summary}
            aside={<>Updated <LocalTime date={p.updatedAt} /></>}
          />
        </li>
      ))}
    </ul>
  );
}

// The home page's "recently updated" list.
import Link from "next/link";
import { ProjectList, type ListedProject } from "./project-list";

export function RecentProjects({ projects }: { projects: ListedProject[] }) {
  if (projects.length === 0) {
    return (
      <p className="muted" data-testid="recent-projects">
        Nothing has been published yet. <Link href="/help">Read how to publish</Link> the first project.
      </p>
    );
  }
  return <ProjectList projects={projects} testId="recent-projects" />;
}

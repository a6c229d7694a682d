// A list of projects, each with its latest version, summary and when it was last updated
// (the home page's recent projects, search results).
import { ProjectSnippet } from "./project-snippet";
import { LocalTime } from "@/components/ui/local-time";

export interface ListedProject {
  name: string;
  version: string | null;
  summary: string | null;
  updatedAt: Date;
}

export function ProjectList({ projects, testId }: { projects: readonly ListedProject[]; testId: string }) {
  return (
    <ul className="project-list" data-testid={testId}>
      {projects.map((p) => (
        <li key={p.name}>
          <ProjectSnippet
            name={p.name}
            version={p.version}
            summary={p.summary}
            aside={
              <>
                Updated <LocalTime date={p.updatedAt} />
              </>
            }
          />
        </li>
      ))}
    </ul>
  );
}

// The projects a user has a role on, for their profile page.
import { ProjectSnippet } from "./project-snippet";
import { RolePill } from "./role-pill";

export function UserProjectList({
  projects,
}: {
  projects: readonly { name: string; version: string | null; summary: string | null; role: string }[];
}) {
  if (projects.length === 0) {
    return (
      <p className="muted" data-testid="user-projects">
        No projects yet.
      </p>
    );
  }
  return (
    <ul className="project-list" data-testid="user-projects">
      {projects.map((p) => (
        <li key={p.name}>
          <ProjectSnippet name={p.name} version={p.version} summary={p.summary} aside={<RolePill role={p.role} />} />
        </li>
      ))}
    </ul>
  );
}

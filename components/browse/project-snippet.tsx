// One project in a list (home, search results, a user's profile): the whole row is a link to the project page.
import Link from "next/link";
import type { ReactNode } from "react";
import { normalizeName } from "@/lib/packaging/names";

export function ProjectSnippet({
  name,
  version,
  summary,
  aside,
}: {
  name: string;
  version: string | null;
  summary: string | null;
  /** Right-hand detail: when it was updated, or the viewer's role. */
  aside?: ReactNode;
}) {
  return (
    <Link href={`/project/${normalizeName(name)}`} className="project-snippet" data-project={normalizeName(name)}>
      <span className="project-snippet-title">
        <span className="project-snippet-name">{name}</span>
        {version && <span className="project-snippet-version">{version}</span>}
      </span>
      {aside && <span className="project-snippet-aside muted small">{aside}</span>}
      <span className="project-snippet-summary">{summary || <span className="muted">No summary.</span>}</span>
    </Link>
  );
}

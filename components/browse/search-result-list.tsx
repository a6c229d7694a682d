// Search hits, each a link to its project page; a friendly empty state when nothing matches.
import Link from "next/link";
import type { SearchHit } from "@/lib/browse/search";
import { ProjectList } from "./project-list";

export function SearchResultList({ hits, q, filtered }: { hits: readonly SearchHit[]; q: string; filtered: boolean }) {
  if (hits.length === 0) {
    return (
      <div className="empty-state" data-testid="search-results">
        <h2>No projects found</h2>
        <p>
          {q ? (
            <>
              Nothing matches <strong>“{q}”</strong>
              {filtered ? " with these filters" : ""}.
            </>
          ) : (
            "Nothing matches these filters."
          )}
        </p>
        <ul className="small">
          <li>Check the spelling, or try fewer or more general words.</li>
          {filtered && <li>Remove some classifier filters.</li>}
          <li>
            <Link href="/search">Browse all projects</Link>.
          </li>
        </ul>
      </div>
    );
  }
  return <ProjectList projects={hits} testId="search-results" />;
}

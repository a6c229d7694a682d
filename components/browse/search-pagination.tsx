// Previous/next links for search results, keeping the query and classifier filters.
import Link from "next/link";

function searchHref(q: string, classifiers: readonly string[], sort: string, page: number): string {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  for (const c of classifiers) params.append("c", c);
  if (sort !== "relevance") params.set("o", sort);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/search?${query}` : "/search";
}

export function SearchPagination({
  q,
  classifiers,
  sort,
  page,
  pages,
}: {
  q: string;
  classifiers: readonly string[];
  sort: string;
  page: number;
  pages: number;
}) {
  if (pages <= 1 && page <= 1) return null;
  return (
    <nav className="pagination" aria-label="Search result pages" data-testid="search-pagination">
      {page > 1 ? (
        <Link href={searchHref(q, classifiers, sort, Math.min(page - 1, pages))} rel="prev">
          ← Previous
        </Link>
      ) : (
        <span />
      )}
      <span className="muted small">
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <Link href={searchHref(q, classifiers, sort, page + 1)} rel="next">
          Next →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}

// "Sort by" for search results, a plain GET form (works without JavaScript) that keeps the query and filters.
const LABELS = { relevance: "Relevance", name: "Name", date: "Date last updated" } as const;

export function SearchSortForm({
  q,
  classifiers,
  sort,
}: {
  q: string;
  classifiers: readonly string[];
  sort: keyof typeof LABELS;
}) {
  return (
    <form action="/search" method="get" className="search-sort" data-testid="search-sort">
      {q && <input type="hidden" name="q" value={q} />}
      {classifiers.map((c) => (
        <input key={c} type="hidden" name="c" value={c} />
      ))}
      <label htmlFor="search-order">Sort by</label>
      <select id="search-order" name="o" defaultValue={sort}>
        {Object.entries(LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <button type="submit" className="button button-secondary">
        Sort
      </button>
    </form>
  );
}

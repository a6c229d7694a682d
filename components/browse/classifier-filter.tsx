// The search page's filter: the classifiers among the results (counted for this query) as checkboxes in
// a plain GET form, so it works without JavaScript.
import Link from "next/link";
import { groupClassifiers } from "./classifier-groups";

export function ClassifierFilter({
  q,
  sort,
  selected,
  options: popular,
}: {
  q: string;
  sort: string;
  selected: readonly string[];
  /** Classifiers to offer, with how many of the current results carry each (null: not counted). */
  options: readonly { classifier: string; count: number | null }[];
}) {
  // A selected classifier outside the popular list (from a project page's link) still shows, checked.
  const known = new Set(popular.map((p) => p.classifier));
  const options = [
    ...selected.filter((c) => !known.has(c)).map((classifier) => ({ classifier, count: null as number | null })),
    ...popular,
  ];
  const groups = groupClassifiers(
    [...options].sort((a, b) => a.classifier.localeCompare(b.classifier)),
    (o) => o.classifier,
  );
  const chosen = new Set(selected);
  return (
    <form
      action="/search"
      method="get"
      className="classifier-filter"
      data-testid="classifier-filter"
      aria-labelledby="filter-h"
    >
      <h2 id="filter-h">Filter by classifier</h2>
      {q && <input type="hidden" name="q" value={q} />}
      {sort !== "relevance" && <input type="hidden" name="o" value={sort} />}
      {groups.length === 0 ? (
        <p className="muted small">
          {q || selected.length ? "None of these results has classifiers." : "No project has classifiers yet."}
        </p>
      ) : (
        groups.map((group) => (
          <fieldset key={group.category} className="classifier-group">
            <legend>{group.category}</legend>
            {group.items.map(({ label, item }) => (
              <label key={item.classifier} className="checkbox" title={item.classifier}>
                <input type="checkbox" name="c" value={item.classifier} defaultChecked={chosen.has(item.classifier)} />
                <span>{label}</span>
                {item.count !== null && <span className="muted small">({item.count})</span>}
              </label>
            ))}
          </fieldset>
        ))
      )}
      <div className="actions">
        {/* Nothing to tick, nothing to apply: a button that does nothing would only puzzle. */}
        {groups.length > 0 && (
          <button type="submit" className="button">
            Apply filters
          </button>
        )}
        {selected.length > 0 && <Link href={q ? `/search?q=${encodeURIComponent(q)}` : "/search"}>Clear filters</Link>}
      </div>
    </form>
  );
}

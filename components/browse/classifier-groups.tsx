// A release's trove classifiers grouped by top-level category, each one a link to the projects that share it.
import Link from "next/link";

/**
 * "Programming Language :: Python :: 3" → group "Programming Language", item "Python :: 3"; groups and
 * items keep their order.
 */
export function groupClassifiers<T>(
  items: readonly T[],
  classifierOf: (item: T) => string,
): { category: string; items: { label: string; item: T }[] }[] {
  const groups = new Map<string, { label: string; item: T }[]>();
  for (const item of items) {
    const classifier = classifierOf(item);
    const at = classifier.indexOf("::");
    const category = (at === -1 ? classifier : classifier.slice(0, at)).trim();
    const label = at === -1 ? classifier.trim() : classifier.slice(at + 2).trim();
    const list = groups.get(category) ?? [];
    if (list.length === 0) groups.set(category, list);
    list.push({ label, item });
  }
  return [...groups].map(([category, list]) => ({ category, items: list }));
}

export function ClassifierGroups({ classifiers }: { classifiers: readonly string[] }) {
  const groups = groupClassifiers([...classifiers].sort(), (c) => c);
  return (
    <dl className="classifier-groups" data-testid="classifiers">
      {groups.map((group) => (
        <div key={group.category} className="classifier-group">
          <dt>{group.category}</dt>
          {group.items.map(({ label, item }) => (
            <dd key={item}>
              <Link href={`/search?c=${encodeURIComponent(item)}`} title={`Projects classified “${item}”`}>
                {label}
              </Link>
            </dd>
          ))}
        </div>
      ))}
    </dl>
  );
}

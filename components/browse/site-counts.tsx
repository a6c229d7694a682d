// The home page's totals: projects, releases and users.
const FORMAT = new Intl.NumberFormat("en-US");

export function SiteCounts({ counts }: { counts: { projects: number; releases: number; users: number } }) {
  const items = [
    { label: counts.projects === 1 ? "project" : "projects", value: counts.projects },
    { label: counts.releases === 1 ? "release" : "releases", value: counts.releases },
    { label: counts.users === 1 ? "user" : "users", value: counts.users },
  ];
  return (
    <ul className="site-counts" data-testid="site-counts" aria-label="Index statistics">
      {items.map((item) => (
        <li key={item.label}>
          <strong>{FORMAT.format(item.value)}</strong> {item.label}
        </li>
      ))}
    </ul>
  );
}

// Who can publish the project, each linking to their profile.
import Link from "next/link";
import { RolePill } from "./role-pill";

export function MaintainerList({ maintainers }: { maintainers: readonly { username: string; role: string }[] }) {
  return (
    <section className="sidebar-section" aria-labelledby="maintainers-h">
      <h3 id="maintainers-h">Maintainers</h3>
      {maintainers.length === 0 ? (
        <p className="muted small">None.</p>
      ) : (
        <ul className="plain-list" data-testid="maintainers">
          {maintainers.map((m) => (
            <li key={m.username}>
              <Link href={`/user/${encodeURIComponent(m.username)}`}>{m.username}</Link> <RolePill role={m.role} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

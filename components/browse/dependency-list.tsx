// A release's Requires-Dist entries, each linking to the project it names on this index.
import Link from "next/link";
import { requirementProject } from "@/lib/browse/pages";

const LEADING_NAME = /^\s*[A-Za-z0-9][A-Za-z0-9._-]*/;

export function DependencyList({ requirements }: { requirements: readonly string[] }) {
  if (requirements.length === 0) return null;
  return (
    <section className="sidebar-section" aria-labelledby="deps-h">
      <h3 id="deps-h">Dependencies</h3>
      <ul className="plain-list dependency-list" data-testid="dependencies">
        {requirements.map((req, i) => {
          const project = requirementProject(req);
          const name = LEADING_NAME.exec(req)?.[0]?.trim();
          return (
            <li key={`${i}-${req}`}>
              <code>
                {project && name ? (
                  <>
                    <Link href={`/project/${project}`}>{name}</Link>
                    <span className="muted">{req.trimStart().slice(name.length)}</span>
                  </>
                ) : (
                  req
                )}
              </code>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

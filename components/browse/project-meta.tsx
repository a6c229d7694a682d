// The "Meta" block: license, Python requirement, author, maintainer, keywords and extras.
import type { ReactNode } from "react";
import type { ReleaseDetail } from "@/lib/index-api/types";
import { Person } from "./person";

/** License fields sometimes hold the whole license text: show its first line and fold the rest away. */
function License({ text }: { text: string }) {
  const trimmed = text.trim();
  const firstLine = trimmed.split("\n")[0] ?? "";
  if (!trimmed.includes("\n") && trimmed.length <= 80) return <>{trimmed}</>;
  return (
    <details className="license-text">
      <summary>{firstLine.length > 60 ? `${firstLine.slice(0, 60)}…` : firstLine}</summary>
      <pre>{trimmed}</pre>
    </details>
  );
}

export function ProjectMeta({ release }: { release: ReleaseDetail }) {
  const rows: { label: string; value: ReactNode }[] = [];
  if (release.licenseExpression)
    rows.push({ label: "License Expression", value: <code>{release.licenseExpression}</code> });
  if (release.license?.trim()) rows.push({ label: "License", value: <License text={release.license} /> });
  if (release.requiresPython)
    rows.push({
      label: "Requires",
      value: (
        <>
          Python <code>{release.requiresPython}</code>
        </>
      ),
    });
  if (release.author || release.authorEmail) {
    rows.push({ label: "Author", value: <Person name={release.author} email={release.authorEmail} /> });
  }
  if (release.maintainer || release.maintainerEmail) {
    rows.push({ label: "Maintainer", value: <Person name={release.maintainer} email={release.maintainerEmail} /> });
  }
  if (release.keywords.length > 0) {
    rows.push({
      label: "Tags",
      value: release.keywords.map((k, i) => (
        <span key={`${i}-${k}`} className="pill">
          {k}
        </span>
      )),
    });
  }
  if (release.providesExtra.length > 0) {
    rows.push({
      label: "Provides-Extra",
      value: release.providesExtra.map((e, i) => <code key={`${i}-${e}`}>{e} </code>),
    });
  }
  if (rows.length === 0) return null;
  return (
    <section className="sidebar-section" aria-labelledby="meta-h">
      <h3 id="meta-h">Meta</h3>
      <dl className="meta-list" data-testid="project-meta">
        {rows.map((row) => (
          <div key={row.label}>
            <dt>{row.label}</dt>
            <dd>{row.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

// Every release, newest first, each linking to its own page; pre-releases and yanked releases are marked.
import type { ReleaseDetail } from "@/lib/index-api/types";
import { isPrerelease } from "@/lib/packaging/versions";
import { LocalTime } from "@/components/ui/local-time";
import { ReleaseLink } from "./release-link";

export function ReleaseHistory({
  project,
  releases,
  current,
  latest,
}: {
  /** The normalised project name, for links. */
  project: string;
  /** Oldest first, as the data layer returns them. */
  releases: readonly ReleaseDetail[];
  current: string | null;
  latest: string | null;
}) {
  return (
    <section className="card" id="history" aria-labelledby="history-h">
      <h2 id="history-h">Release history</h2>
      {releases.length === 0 ? (
        <p className="muted" data-testid="release-history">
          No releases yet.
        </p>
      ) : (
        <ol className="release-history" data-testid="release-history">
          {[...releases].reverse().map((r) => (
            <li
              key={r.version}
              data-version={r.version}
              className={
                `release${r.version === current ? " release-current" : ""}` + (r.yanked ? " release-yanked" : "")
              }
            >
              <span className="release-version">
                <ReleaseLink project={project} version={r.version} current={r.version === current} />
              </span>
              <span className="release-tags">
                {r.version === latest && <span className="pill pill-ok">latest</span>}
                {isPrerelease(r.version) && <span className="pill pill-warn">pre-release</span>}
                {r.yanked && (
                  <span className="pill pill-danger" title={r.yankedReason ? `Yanked: ${r.yankedReason}` : "Yanked"}>
                    yanked
                  </span>
                )}
                {r.files.length === 0 && <span className="pill">no files</span>}
              </span>
              <span className="release-date muted small">
                <LocalTime date={r.createdAt} />
              </span>
              {r.yanked && r.yankedReason && <span className="release-reason small">Reason: {r.yankedReason}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

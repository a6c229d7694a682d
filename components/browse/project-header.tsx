// The band at the top of a project page: name and version, install command, summary, and how this
// release relates to the latest.
import type { ReleaseDetail } from "@/lib/index-api/types";
import { pipInstallCommand } from "@/lib/snippets";
import { PipInstall } from "./pip-install";
import { LocalTime } from "@/components/ui/local-time";
import { ReleaseLink } from "./release-link";

export function ProjectHeader({
  name,
  project,
  release,
  latest,
  pinned,
}: {
  name: string;
  /** Normalised name, for links. */
  project: string;
  release: ReleaseDetail | null;
  latest: ReleaseDetail | null;
  /** Install this exact version (the version page) rather than whatever pip picks. */
  pinned: boolean;
}) {
  const isLatest = release !== null && latest !== null && release.version === latest.version;
  return (
    <header className="project-header" data-testid="project-header">
      <div className="project-header-main">
        <h1>
          <span data-testid="project-name">{name}</span>
          {release && (
            <>
              {" "}
              <span className="project-header-version" data-testid="project-version">
                {release.version}
              </span>
            </>
          )}
        </h1>
        {/* pip skips a yanked release unless it is pinned, so a yanked one's command names it exactly. */}
        <PipInstall
          command={pipInstallCommand(release && (pinned || release.yanked) ? `${name}==${release.version}` : name)}
        />
        {release?.summary && (
          <p className="project-summary" data-testid="project-summary">
            {release.summary}
          </p>
        )}
      </div>
      <div className="project-header-status">
        {release === null ? (
          <span className="pill">No releases yet</span>
        ) : isLatest ? (
          <span className="pill pill-ok">Latest version</span>
        ) : latest ? (
          <span className="pill pill-warn">
            Newer version available: <ReleaseLink project={project} version={latest.version} />
          </span>
        ) : null}
        {release?.yanked && <span className="pill pill-danger">Yanked</span>}
        {release && (
          <span className="small">
            Released: <LocalTime date={release.createdAt} />
          </span>
        )}
      </div>
    </header>
  );
}

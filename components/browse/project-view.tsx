// One release of a project, as both /project/<name> (the latest) and /project/<name>/<version> show it.
import type { ProjectPage } from "@/lib/browse/pages";
import type { ReleaseDetail } from "@/lib/index-api/types";
import { FileTable } from "./file-table";
import { ProjectHeader } from "./project-header";
import { ProjectReadme } from "./project-readme";
import { ProjectSidebar } from "./project-sidebar";
import { ReleaseHistory } from "./release-history";
import { ReleaseNotice } from "./release-notice";

export function ProjectView({
  project,
  release,
  latest,
  pinned,
}: {
  project: ProjectPage;
  /** The release shown; null only for a project with no releases at all. */
  release: ReleaseDetail | null;
  latest: ReleaseDetail | null;
  /** True on the version page: the install line names this exact version. */
  pinned: boolean;
}) {
  return (
    <article className="project-view" data-project={project.normalizedName}>
      <ProjectHeader
        name={project.name}
        project={project.normalizedName}
        release={release}
        latest={latest}
        pinned={pinned}
      />
      <div className="project-layout">
        <div className="project-main">
          {release ? (
            <ReleaseNotice project={project.normalizedName} release={release} latest={latest} />
          ) : (
            <p className="banner banner-warn" role="note">
              This project has no releases yet.
            </p>
          )}
          <ProjectReadme release={release} />
          <ReleaseHistory
            project={project.normalizedName}
            releases={project.releases}
            current={release?.version ?? null}
            latest={latest?.version ?? null}
          />
          <FileTable version={release?.version ?? null} files={release?.files ?? []} />
        </div>
        <ProjectSidebar project={project} release={release} />
      </div>
    </article>
  );
}

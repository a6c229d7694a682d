// The project page's side column, laid out as pypi.org's: navigation, links, meta, classifiers,
// dependencies, maintainers.
import type { ProjectPage } from "@/lib/browse/pages";
import type { ReleaseDetail } from "@/lib/index-api/types";
import { ClassifierGroups } from "./classifier-groups";
import { DependencyList } from "./dependency-list";
import { MaintainerList } from "./maintainer-list";
import { ManageLink } from "./manage-link";
import { ProjectLinks } from "./project-links";
import { ProjectMeta } from "./project-meta";

export function ProjectSidebar({ project, release }: { project: ProjectPage; release: ReleaseDetail | null }) {
  return (
    <aside className="project-sidebar" aria-label="Project information">
      <nav className="sidebar-section" aria-labelledby="nav-h">
        <h3 id="nav-h">Navigation</h3>
        <ul className="plain-list sidebar-nav">
          <li>
            <a href="#description">Project description</a>
          </li>
          <li>
            <a href="#history">Release history</a>
          </li>
          <li>
            <a href="#files">Download files</a>
          </li>
          <li>
            <a href={`/rss/project/${project.normalizedName}/releases.xml`} data-testid="project-feed">
              RSS feed of releases
            </a>
          </li>
        </ul>
      </nav>
      {release && <ProjectLinks homePage={release.homePage} projectUrls={release.projectUrls} />}
      {release && <ProjectMeta release={release} />}
      {release && release.classifiers.length > 0 && (
        <section className="sidebar-section" aria-labelledby="classifiers-h">
          <h3 id="classifiers-h">Classifiers</h3>
          <ClassifierGroups classifiers={release.classifiers} />
        </section>
      )}
      {release && <DependencyList requirements={release.requiresDist} />}
      <MaintainerList maintainers={project.maintainers} />
      <ManageLink project={project.normalizedName} members={project.maintainers.map((m) => m.username)} />
    </aside>
  );
}

// The release's long description, rendered and sanitized by lib/packaging/readme.ts.
import { renderDescription } from "@/lib/packaging/readme";
import type { ReleaseDetail } from "@/lib/packaging/types";

export function ProjectReadme({ release }: { release: ReleaseDetail | null }) {
  const { html, format } = release ? renderDescription(release.description, release.descriptionContentType) : { html: "", format: null };
  return (
    <section className="card" id="description" aria-labelledby="description-h">
      <h2 id="description-h">Project description</h2>
      {html ? (
        <div className="readme" data-testid="readme" data-format={format} dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <div className="readme" data-testid="readme">
          <p className="muted">The author of this package has not provided a project description.</p>
        </div>
      )}
    </section>
  );
}

// The release's long description, rendered and sanitized by lib/readme.
import { descriptionFormat, renderDescription } from "@/lib/readme";
import type { ReleaseDetail } from "@/lib/index-api/types";

export function ProjectReadme({ release }: { release: ReleaseDetail | null }) {
  // Rendered once at upload; releases stored before that are rendered here.
  const rendered = release?.descriptionHtml
    ? { html: release.descriptionHtml, format: descriptionFormat(release.descriptionContentType) }
    : release
      ? renderDescription(release.description, release.descriptionContentType)
      : { html: "", format: null };
  const { html, format } = rendered;
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

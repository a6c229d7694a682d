// The release's long description, rendered and sanitized by lib/readme.
import { descriptionFormat, renderDescription } from "@/lib/readme";
import type { ReleaseDetail } from "@/lib/index-api/types";

/**
 * Code blocks and tables scroll sideways when too wide for the screen, so a keyboard must be able to
 * reach them (WCAG 2.1.1): each gets tabindex="0". Added here, at display, rather than stored: it is
 * this page's layout, not the README's content. The sanitizer escapes every "<" in text and in
 * attribute values, so "<pre" and "<table" can only be tags.
 */
function keyboardScrollable(html: string): string {
  return html.replace(/<(pre|table)(?=[\s>])/g, '<$1 tabindex="0"');
}

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
        <div
          className="readme"
          data-testid="readme"
          data-format={format}
          dangerouslySetInnerHTML={{ __html: keyboardScrollable(html) }}
        />
      ) : (
        <div className="readme" data-testid="readme">
          <p className="muted">The author of this package has not provided a project description.</p>
        </div>
      )}
    </section>
  );
}

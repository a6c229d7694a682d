// Renders a release's long description (its README) to sanitized HTML for the project page, as PyPI does.
import "server-only";
import { escapeHtml } from "@/lib/util/escape-html";
import { renderMarkdown } from "./markdown";
import { renderRst } from "./rst/render";
import { MAX_HTML_DEPTH, nestingDepth, sanitize } from "./sanitize";

/**
 * Stored with each release's HTML. Bump it with any change to what the renderers or the sanitizer emit (a sanitizer
 * fix above all): `npm run admin -- rerender-readmes` then re-renders every release made by an older version.
 */
export const RENDERER_VERSION = 2;

export type DescriptionFormat = "markdown" | "rst" | "plain";

export interface RenderedDescription {
  html: string;
  format: DescriptionFormat;
}

/**
 * Which renderer a core metadata `Description-Content-Type` selects. Absent means reStructuredText, because that
 * is what readme_renderer (and so PyPI) assumes for the many packages uploaded before the field existed.
 */
export function descriptionFormat(contentType: string | null): DescriptionFormat {
  if (typeof contentType !== "string") return "rst";
  const mime = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  if (mime === "" || mime === "text/x-rst") return "rst";
  if (mime === "text/markdown") return "markdown";
  // text/plain, and anything a client invented: showing the text as written is the one rendering that can't mislead.
  return "plain";
}

/**
 * The description as HTML that is safe to inject into the project page. Never throws: a README is untrusted input
 * from any uploader, and a bad one must cost its project a pretty page, not the page itself.
 */
export function renderDescription(text: string | null, contentType: string | null): RenderedDescription {
  const format = descriptionFormat(contentType);
  if (typeof text !== "string") return { html: "", format };
  const source = normalizeSource(text);
  if (source.trim() === "") return { html: "", format };
  try {
    // Uploads cap METADATA at 5 MiB, so anything longer came from elsewhere; bound the work rather than trust it.
    if (source.length > MAX_MARKUP_LENGTH) {
      return { html: sanitize(renderPlain(source.slice(0, MAX_MARKUP_LENGTH))), format: "plain" };
    }
    const raw =
      format === "markdown" ? renderMarkdown(source) : format === "rst" ? renderRst(source) : renderPlain(source);
    if (nestingDepth(raw) > MAX_HTML_DEPTH) throw new Error("description HTML nests too deeply to sanitize");
    return { html: sanitize(raw), format };
  } catch {
    // PyPI shows a README it cannot render as plain text; a renderer bug here should degrade the same way.
    try {
      return { html: sanitize(renderPlain(source)), format: "plain" };
    } catch {
      // Fully escaped text inside <pre> carries no markup, so it is safe even without the sanitizer.
      return { html: renderPlain(source), format: "plain" };
    }
  }
}

/** Longer descriptions are shown as (truncated) plain text; see MAX_METADATA_BYTES in ./archive. */
const MAX_MARKUP_LENGTH = 5 * 1024 * 1024;

function normalizeSource(text: string): string {
  // NUL is replaced as CommonMark requires; a BOM would otherwise defeat every start-of-line rule on the first line.
  return text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .replace(/\0/g, "\uFFFD");
}

function renderPlain(source: string): string {
  return `<pre>${escapeHtml(source)}</pre>`;
}

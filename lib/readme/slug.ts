// Heading ids as GitHub and docutils make them, unique within one README.

/** GitHub's heading anchor: lowercase, punctuation dropped, each space a hyphen. */
export function githubSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** docutils' make_id: ASCII letters, digits and single hyphens, starting with a letter. */
export function docutilsSlug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+|-+$/g, "");
}

/** Repeated headings get -1, -2… as on GitHub and in docutils, so every id stays unique in the page. */
export class Slugger {
  private readonly seen = new Set<string>();
  /** The next suffix to try per slug, so a README repeating one heading thousands of times stays linear. */
  private readonly nextSuffix = new Map<string, number>();

  unique(slug: string): string {
    if (slug === "") return "";
    let candidate = slug;
    let n = this.nextSuffix.get(slug) ?? 1;
    while (this.seen.has(candidate)) candidate = `${slug}-${n++}`;
    this.nextSuffix.set(slug, n);
    this.seen.add(candidate);
    return candidate;
  }
}

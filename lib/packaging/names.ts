// Project names: PEP 508 validity, PEP 503 normalisation and the look-alike key that blocks typosquats.
import "server-only";

/** Not a standard limit; PyPI has none, but a longer name cannot fit a 255-byte wheel filename anyway. */
export const MAX_PROJECT_NAME_LENGTH = 100;

const PROJECT_NAME_RE = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;

/** PEP 503: `re.sub(r"[-_.]+", "-", name).lower()`. Two names are the same project iff these match. */
export function normalizeName(name: string): string {
  return name.replace(/[-_.]+/g, "-").toLowerCase();
}

/** PEP 508 name rule (ASCII letters, digits, `.`, `_`, `-`; alphanumeric at both ends), plus a length cap. */
export function isValidProjectName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_PROJECT_NAME_LENGTH && PROJECT_NAME_RE.test(name);
}

/**
 * The name as it must appear at the start of wheel and (PEP 625) sdist filenames and of
 * `.dist-info` directories: normalised, with `_` because `-` separates filename fields.
 */
export function filenameSafeName(name: string): string {
  return normalizeName(name).replace(/-/g, "_");
}

/**
 * A key under which names that read alike collide, so a new project or account can be refused when
 * it would be mistaken for an existing one. One key for project names and usernames (both ASCII):
 *
 * 1. PEP 503 normalisation (lower case; runs of `-`, `_`, `.` become one `-`);
 * 2. every `-` is dropped, so `foo-bar`, `foo_bar`, `Foo.Bar` and `foobar` collide;
 * 3. `l` (from `l` or `L`) and `i` (from `i` or `I`) become `1`, `o` (from `o` or `O`) becomes `0`
 *    (Warehouse's `ultranormalize_name` stops here);
 * 4. the letter pairs that read as one letter at a glance become that letter: `rn` → `m` (Unicode
 *    TS #39's only multi-letter confusable among ASCII letters) and `vv` → `w`.
 *
 * `u`/`v`, `8`/`b`, `5`/`s` stay distinct. The replacements leave no `rn` or `vv` behind, so a key
 * computed before step 4 existed never collides with one computed now.
 * The migrations repeat this mapping in SQL for their backfills (tests/unit/users.test.ts checks it).
 */
export function confusableSkeleton(name: string): string {
  return normalizeName(name)
    .replace(/-/g, "")
    .replace(/[li]/g, "1")
    .replace(/o/g, "0")
    .replace(/rn/g, "m")
    .replace(/vv/g, "w");
}

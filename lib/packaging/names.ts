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
 * A key under which names that read alike collide, so a new project can be refused when it would
 * be mistaken for an existing one. Same mapping as Warehouse's `ultranormalize_name`:
 *
 * 1. PEP 503 normalisation (lower case; runs of `-`, `_`, `.` become one `-`);
 * 2. every `-` is dropped, so `foo-bar`, `foo_bar`, `Foo.Bar` and `foobar` collide;
 * 3. `l` (from `l` or `L`) and `i` (from `i` or `I`) become `1`;
 * 4. `o` (from `o` or `O`) becomes `0`.
 *
 * Nothing else is mapped: `rn`/`m`, `vv`/`w`, `u`/`v`, `8`/`b`, `5`/`s` and non-ASCII homoglyphs
 * stay distinct (non-ASCII cannot appear in a valid name anyway).
 */
export function confusableSkeleton(name: string): string {
  return normalizeName(name)
    .replace(/-/g, "")
    .replace(/[li]/g, "1")
    .replace(/o/g, "0");
}

/**
 * `confusableSkeleton` plus the letter pairs that read as one letter at a glance, as Unicode TS #39
 * maps them (`m` → `rn`, `w` → `vv`): `maria`/`rnaria` and `alice-l`/`alice-I` collide. Usernames
 * use it. Project names keep Warehouse's narrower key, which existing projects were admitted under.
 * prisma/migrations/*_account_identities/migration.sql repeats this mapping in SQL for the backfill.
 */
export function lookAlikeSkeleton(name: string): string {
  return confusableSkeleton(name).replace(/rn/g, "m").replace(/vv/g, "w");
}

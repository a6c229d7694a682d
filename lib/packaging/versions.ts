// PEP 440 versions: what an upload may use, their normal form, and their order.
import "server-only";
import { clean, compare, explain } from "@renovatebot/pep440";
import { quote } from "./quote";

/** Longer strings are not real versions; the cap keeps the regex and the messages bounded. */
const MAX_VERSION_LENGTH = 128;

const VERSION_HELP =
  "Use a PEP 440 version such as 1.0, 2.1rc1 or 2024.5.post1. " +
  "See https://packaging.python.org/specifications/version-specifiers/ for more information.";

export type VersionCheck = { ok: true; version: string } | { ok: false; message: string };

/**
 * The normal form (`str(packaging.version.Version(v))`): `V1.0-ALPHA` → `1.0a0`, `1.0-1` →
 * `1.0.post1`, surrounding whitespace dropped. `null` when `v` is not PEP 440.
 */
export function parseVersion(v: string): string | null {
  if (typeof v !== "string" || v.length > MAX_VERSION_LENGTH) return null;
  // The library stores numbers as JS numbers; past 2^53 the normal form would silently change digits.
  for (const digits of v.match(/\d+/g) ?? []) {
    if (BigInt(digits) > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  }
  // The library joins the local segment's parts with "," (an array stringified); PEP 440 uses ".".
  return clean(v)?.replace(/\+.*$/, (local) => local.replace(/,/g, ".")) ?? null;
}

/** Whether `v` is PEP 440 and has a `+local` segment (which public indexes refuse). */
export function isLocalVersion(v: string): boolean {
  const normal = parseVersion(v);
  return normal !== null && explain(normal)?.local != null;
}

/**
 * The version field of an upload: PEP 440, and no local segment, because local versions are for
 * builds that must never reach an index (PEP 440 says indexes should refuse them).
 */
export function validateUploadVersion(v: string | null | undefined): VersionCheck {
  if (v == null || v.trim() === "") {
    return { ok: false, message: "Invalid value for version. Error: This field is required." };
  }
  const version = parseVersion(v);
  if (version === null) {
    return { ok: false, message: `${quote(v)} is an invalid value for Version. Error: ${VERSION_HELP}` };
  }
  if (explain(version)?.local != null) {
    return {
      ok: false,
      message: `${quote(v)} is an invalid value for Version. Error: Can't use PEP 440 local versions. ${VERSION_HELP}`,
    };
  }
  return { ok: true, version };
}

/**
 * PEP 440 order, for `Array.prototype.sort`. Equal means equal to PEP 440 (`1.0` == `1.0.0`).
 * Anything that is not PEP 440 sorts before every valid version (as pip's legacy versions did),
 * and such strings among themselves by code unit, so sorting never throws on old data.
 */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (x === null || y === null) {
    if (x !== null) return 1;
    if (y !== null) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return Math.sign(compare(x, y));
}

/** Pre-releases and development releases, which pip skips unless asked (`--pre`). */
export function isPrerelease(v: string): boolean {
  const normal = parseVersion(v);
  return normal !== null && explain(normal)?.is_prerelease === true;
}

/**
 * `packaging.utils.canonicalize_version`: the normal form with trailing `.0`s of the release
 * dropped, so `1.0`, `1.0.0` and `1` share one key. Releases are unique under this key, because
 * pip treats them as the same version.
 */
export function canonicalizeVersion(v: string): string | null {
  const normal = parseVersion(v);
  if (normal === null) return null;
  const m = /^(\d+!)?(\d+(?:\.\d+)*)(.*)$/.exec(normal);
  if (!m) return normal;
  const release = (m[2] ?? "").replace(/(?:\.0)+$/, "");
  return `${m[1] ?? ""}${release}${m[3] ?? ""}`;
}

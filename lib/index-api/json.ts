// PyPI's legacy JSON API (/pypi/<project>/json and /pypi/<project>/<version>/json), shaped as Warehouse returns it.
import "server-only";
import { absoluteUrl, formatUploadTime } from "./simple";
import type { IndexFile, ReleaseDetail } from "./types";
import { canonicalizeVersion, compareVersions, isPrerelease } from "../packaging/versions";

export interface JsonApiFile {
  comment_text: string;
  digests: { blake2b_256: string; md5: string; sha256: string };
  downloads: number;
  filename: string;
  has_sig: boolean;
  md5_digest: string;
  packagetype: string;
  python_version: string;
  requires_python: string | null;
  size: number;
  upload_time: string;
  upload_time_iso_8601: string;
  url: string;
  yanked: boolean;
  yanked_reason: string | null;
}

export interface JsonApiInfo {
  author: string | null;
  author_email: string | null;
  bugtrack_url: null;
  classifiers: string[];
  description: string;
  description_content_type: string | null;
  docs_url: null;
  download_url: string | null;
  downloads: { last_day: number; last_month: number; last_week: number };
  dynamic: string[] | null;
  home_page: string | null;
  keywords: string | null;
  license: string | null;
  license_expression: string | null;
  license_files: string[] | null;
  maintainer: string | null;
  maintainer_email: string | null;
  name: string;
  package_url: string;
  platform: string | null;
  project_url: string;
  project_urls: Record<string, string> | null;
  provides_extra: string[] | null;
  release_url: string;
  requires_dist: string[] | null;
  requires_python: string | null;
  summary: string | null;
  version: string;
  yanked: boolean;
  yanked_reason: string | null;
}

export interface JsonApiResponse {
  info: JsonApiInfo;
  last_serial: number;
  /** Only on the project endpoint; PyPI dropped it from the per-version one. */
  releases?: Record<string, JsonApiFile[]>;
  urls: JsonApiFile[];
  vulnerabilities: never[];
}

/** The release a document describes in `info` and `urls`: its stored metadata and its files. */
export type JsonApiRelease = Pick<
  ReleaseDetail,
  | "version"
  | "summary"
  | "description"
  | "descriptionContentType"
  | "keywords"
  | "homePage"
  | "author"
  | "authorEmail"
  | "maintainer"
  | "maintainerEmail"
  | "license"
  | "licenseExpression"
  | "classifiers"
  | "requiresDist"
  | "requiresPython"
  | "providesExtra"
  | "projectUrls"
  | "yanked"
  | "yankedReason"
  | "files"
>;

/** A release as `releases` lists it: its version, whether it is yanked, its files. */
export type JsonApiReleaseFiles = Pick<ReleaseDetail, "version" | "yanked" | "yankedReason" | "files">;

/** What one document shows (lib/index-api/queries.ts's getJsonApiProject reads it in one query). */
export interface JsonApiProject {
  name: string;
  lastSerial: number;
  /** The latest release (selectLatestRelease's choice) or the one a version URL names; null: none. */
  release: JsonApiRelease | null;
  /** Every release, for the project endpoint's `releases`; undefined on the version endpoint. */
  releases?: readonly JsonApiReleaseFiles[];
}

/**
 * The release `/pypi/<project>/json` describes. Warehouse orders by (not yanked, not pre-release,
 * highest version) over all releases. We apply the same order but first restrict to releases that
 * have files whenever any do, because an empty release (registered, nothing uploaded yet) is of no
 * use to someone asking what to install. Net effect: highest non-yanked final release with files,
 * else highest non-yanked pre-release with files, else yanked ones, else file-less releases in the
 * same order. `null` only when the project has no releases (PyPI answers 404).
 */
export function selectLatestRelease<R extends LatestCandidate>(releases: readonly R[]): R | null {
  const withFiles = releases.filter((r) => r.files.length > 0);
  const pool = withFiles.length > 0 ? withFiles : releases;
  let best: R | null = null;
  for (const release of pool) {
    if (best === null || rank(release, best) > 0) best = release;
  }
  return best;
}

/** What choosing the latest release needs to know (the project summary passes lighter rows). */
export interface LatestCandidate {
  version: string;
  yanked: boolean;
  files: readonly unknown[];
}

/** > 0 when `a` is the better "latest" candidate than `b`. */
function rank(a: LatestCandidate, b: LatestCandidate): number {
  if (a.yanked !== b.yanked) return a.yanked ? -1 : 1;
  const aPre = isPrerelease(a.version);
  if (aPre !== isPrerelease(b.version)) return aPre ? -1 : 1;
  return compareVersions(a.version, b.version);
}

/**
 * The release a `/pypi/<project>/<version>/json` URL names, compared as Warehouse does: by
 * canonical version, so `1.0` finds `1.0.0`. Should legacy data hold two releases with the same
 * canonical version, only the exact spelling decides, and otherwise none (PyPI answers 404).
 */
export function findRelease(releases: readonly ReleaseDetail[], version: string): ReleaseDetail | null {
  const key = canonicalizeVersion(version) ?? version;
  const matches = releases.filter((r) => (canonicalizeVersion(r.version) ?? r.version) === key);
  if (matches.length === 1) return matches[0] ?? null;
  return matches.find((r) => r.version === version) ?? null;
}

/** Path segments as Pyramid's route_url quotes them: RFC 3986 sub-delims such as `+` and `!` stay literal. */
function pathSegment(value: string): string {
  return encodeURIComponent(value).replace(/%(24|26|2B|2C|3B|3D|3A|40)/gi, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

function fileJson(file: IndexFile, release: JsonApiReleaseFiles, baseUrl: string): JsonApiFile {
  const uploaded = formatUploadTime(file.uploadedAt);
  return {
    comment_text: "",
    digests: { blake2b_256: file.blake2b256, md5: file.md5, sha256: file.sha256 },
    downloads: -1,
    filename: file.filename,
    has_sig: false,
    md5_digest: file.md5,
    packagetype: file.packagetype,
    python_version: file.pythonVersion,
    requires_python: file.requiresPython || null,
    size: file.size,
    // The legacy field: UTC, seconds precision, no zone designator.
    upload_time: uploaded.slice(0, 19),
    upload_time_iso_8601: uploaded,
    url: absoluteUrl(file.url, baseUrl),
    // Yanking is per release; Warehouse reads it from the release, so the two can never disagree here.
    yanked: release.yanked,
    yanked_reason: release.yanked ? release.yankedReason || null : null,
  };
}

/** Python's default string order, which PyPI's sort_keys and ORDER BY filename give. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function filesJson(release: JsonApiReleaseFiles, baseUrl: string): JsonApiFile[] {
  // Warehouse orders a release's files by filename.
  return [...release.files]
    .sort((a, b) => byCodeUnit(a.filename, b.filename))
    .map((file) => fileJson(file, release, baseUrl));
}

/** Every release keyed by version, files included; releases without files get [] as on PyPI. */
function releasesJson(releases: readonly JsonApiReleaseFiles[], baseUrl: string): Record<string, JsonApiFile[]> {
  const byKey = [...releases].sort((a, b) => byCodeUnit(a.version, b.version));
  return Object.fromEntries(byKey.map((r) => [r.version, filesJson(r, baseUrl)]));
}

/**
 * Warehouse's `Release.urls`: Home-page as "Homepage", then Project-URL entries, skipping one that
 * only repeats the home page under a homepage-like label; a repeated label keeps the last URL.
 * Labels come out sorted, as PyPI's sort_keys renders them.
 */
function projectUrls(release: JsonApiRelease): Record<string, string> | null {
  const urls = new Map<string, string>();
  if (release.homePage) urls.set("Homepage", release.homePage);
  for (const { label, url } of release.projectUrls) {
    const comparable = label.toLowerCase().replace(/[-_]/g, "");
    if (comparable === "homepage" && url === urls.get("Homepage")) continue;
    urls.set(label, url);
  }
  return urls.size > 0 ? Object.fromEntries([...urls].sort(([a], [b]) => byCodeUnit(a, b))) : null;
}

function nonEmpty<T>(values: readonly T[]): T[] | null {
  return values.length > 0 ? [...values] : null;
}

function infoJson(project: JsonApiProject, release: JsonApiRelease, base: string): JsonApiInfo {
  const projectPage = `${base}/project/${pathSegment(project.name)}/`;
  return {
    author: release.author,
    author_email: release.authorEmail,
    bugtrack_url: null,
    classifiers: [...release.classifiers],
    // Warehouse stores a missing description as "" (the column is NOT NULL).
    description: release.description ?? "",
    description_content_type: release.descriptionContentType,
    docs_url: null,
    download_url: null,
    downloads: { last_day: -1, last_month: -1, last_week: -1 },
    dynamic: null,
    home_page: release.homePage,
    // Warehouse keeps the Keywords field as one ", "-joined string (null when there are none).
    keywords: release.keywords.length > 0 ? release.keywords.join(", ") : null,
    license: release.license,
    license_expression: release.licenseExpression,
    license_files: null,
    maintainer: release.maintainer,
    maintainer_email: release.maintainerEmail,
    name: project.name,
    package_url: projectPage,
    platform: null,
    project_url: projectPage,
    project_urls: projectUrls(release),
    provides_extra: nonEmpty(release.providesExtra),
    release_url: `${projectPage}${pathSegment(release.version)}/`,
    requires_dist: nonEmpty(release.requiresDist),
    requires_python: release.requiresPython || null,
    summary: release.summary,
    version: release.version,
    yanked: release.yanked,
    yanked_reason: release.yanked ? release.yankedReason || null : null,
  };
}

/**
 * The body of `/pypi/<project>/json` (`project.releases` given) or `/pypi/<project>/<version>/json`
 * (without), or `null` for a 404 (no release to describe). Keys are in alphabetical order, the
 * order PyPI's JSON renderer (sort_keys) produces, including `releases` (by code unit, as Python
 * sorts; JavaScript lists integer-like keys such as "2" first whatever the insertion order).
 * Feature gaps versus PyPI: no vulnerability data (always `[]`), and fields this index does not
 * store (download_url, platform, dynamic, license_files) are null.
 */
export function renderProjectJsonApi(project: JsonApiProject, baseUrl: string): JsonApiResponse | null {
  const base = baseUrl.replace(/\/+$/, "");
  const { release } = project;
  if (release === null) return null;

  return {
    info: infoJson(project, release, base),
    last_serial: project.lastSerial,
    ...(project.releases ? { releases: releasesJson(project.releases, base) } : {}),
    urls: filesJson(release, base),
    vulnerabilities: [],
  };
}

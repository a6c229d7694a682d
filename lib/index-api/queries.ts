// Reads for the index APIs and pages: plain objects (lib/index-api/types.ts) in PEP 440 order.
import "server-only";
import { pool } from "@/lib/db/client";
import { canonicalizeVersion, compareVersions } from "../packaging/versions";
import { RELEASE_FIELDS, type ProjectUrl, type ReleaseField } from "../packaging/metadata";
import type { IndexFile, IndexProject, ProjectDetail, ReleaseDetail } from "./types";
import type { JsonApiProject, JsonApiReleaseFiles } from "./json";

export function fileUrl(sha256: string, filename: string): string {
  return `/packages/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256.slice(4)}/${encodeURIComponent(filename)}`;
}

const fileSelect = {
  filename: true,
  packagetype: true,
  pythonVersion: true,
  requiresPython: true,
  size: true,
  sha256: true,
  md5: true,
  blake2b256: true,
  metadataSha256: true,
  uploadedAt: true,
} as const;

type FileRow = {
  filename: string;
  packagetype: string;
  pythonVersion: string;
  requiresPython: string | null;
  /** bigint from Prisma, a number from PostgreSQL's JSON (sizes stay far below 2^53). */
  size: bigint | number;
  sha256: string;
  md5: string;
  blake2b256: string;
  metadataSha256: string | null;
  uploadedAt: Date;
};

function toIndexFile(
  f: FileRow,
  release: { version: string; yanked: boolean; yankedReason: string | null },
): IndexFile {
  return {
    filename: f.filename,
    url: fileUrl(f.sha256, f.filename),
    version: release.version,
    packagetype: f.packagetype as IndexFile["packagetype"],
    pythonVersion: f.pythonVersion,
    requiresPython: f.requiresPython,
    size: Number(f.size),
    sha256: f.sha256,
    md5: f.md5,
    blake2b256: f.blake2b256,
    uploadedAt: f.uploadedAt,
    yanked: release.yanked ? (release.yankedReason ?? "") : false,
    metadataSha256: f.metadataSha256,
  };
}

/** The columns of a release the pages and the JSON API read: its stored metadata fields and its own. */
export const releaseSelect = {
  ...(Object.fromEntries(RELEASE_FIELDS.map((f) => [f, true])) as { [F in ReleaseField]: true }),
  version: true,
  descriptionHtml: true,
  yanked: true,
  yankedReason: true,
  createdAt: true,
  files: { select: fileSelect },
} as const;

const byVersion = <T extends { version: string }>(a: T, b: T) => compareVersions(a.version, b.version);

// A project's releases and files as one JSON value built by PostgreSQL: one statement and one
// column to parse, where Prisma's nested select took three statements and built an object per row
// (the project page's render spent 8 % of its time in Prisma). The keys are releaseSelect's fields.
const column = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const RELEASE_JSON = [...RELEASE_FIELDS, "version", "descriptionHtml", "yanked", "yankedReason", "createdAt"]
  .map((f) => `'${f}', r.${column(f)}`)
  .join(", ");
const FILE_JSON = Object.keys(fileSelect)
  .map((f) => `'${f}', f.${f === "blake2b256" ? "blake2b_256" : column(f)}`)
  .join(", ");
/** SQL for the project `p`'s releases (each with its files) as a JSON array, in no particular order. */
export const RELEASES_JSON_SQL = `COALESCE((SELECT json_agg(json_build_object(${RELEASE_JSON},
  'files', COALESCE((SELECT json_agg(json_build_object(${FILE_JSON})) FROM files f WHERE f.release_id = r.id), '[]')))
  FROM releases r WHERE r.project_id = p.id), '[]')`;

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends bigint ? number : T[K] };
/** The releases RELEASES_JSON_SQL read, as ReleaseDetail in PEP 440 order. */
export type ReleasesJson = (Json<Omit<ReleaseDetail, "files" | "projectUrls">> & {
  projectUrls: unknown;
  files: Json<FileRow>[];
})[];

export function releasesFromJson(rows: ReleasesJson): ReleaseDetail[] {
  return rows
    .map((r) => ({
      ...r,
      createdAt: new Date(r.createdAt),
      projectUrls: Array.isArray(r.projectUrls) ? (r.projectUrls as ProjectUrl[]) : [],
      files: r.files
        .sort((a, b) => a.filename.localeCompare(b.filename))
        .map((f) => toIndexFile({ ...f, uploadedAt: new Date(f.uploadedAt) }, r)),
    }))
    .sort(byVersion);
}

/** Everything about a project's releases, for the JSON API and the project pages. */
export async function getProjectDetail(normalizedName: string): Promise<ProjectDetail | null> {
  const { rows } = await pool().query<{ name: string; last_serial: string; releases: ReleasesJson }>({
    name: "project-detail",
    text: `SELECT p.name, p.last_serial, ${RELEASES_JSON_SQL} AS releases FROM projects p WHERE p.normalized_name = $1`,
    values: [normalizedName],
  });
  const project = rows[0];
  if (!project) return null;
  return {
    name: project.name,
    normalizedName,
    lastSerial: Number(project.last_serial),
    releases: releasesFromJson(project.releases),
  };
}

// The JSON API's one query: the project, the release a document describes and the files it lists,
// built by PostgreSQL as one JSON value per project (one column, parsed once by JSON.parse; no ORM,
// no per-row objects). Files are [version, yanked, reason, …file] arrays in the order the document
// lists them: by version, then filename, by code point (both are ASCII); a release without files is
// one array whose file part is null.
const JSON_API_FILES = `
  SELECT json_agg(json_build_array(rr.version, rr.yanked, rr.yanked_reason, f.filename, f.packagetype,
           f.python_version, f.requires_python, f.size, f.sha256, f.md5, f.blake2b_256, f.metadata_sha256,
           (extract(epoch FROM f.uploaded_at) * 1000)::bigint)
         ORDER BY rr.version COLLATE "C", f.filename COLLATE "C")
  FROM releases rr LEFT JOIN files f ON f.release_id = rr.id`;
const jsonApiQuery = (release: string, files: string, where: string) => `
  SELECT p.normalized_name, json_build_array(p.name, p.last_serial,
    CASE WHEN r.id IS NOT NULL THEN json_build_array(r.version, r.summary, r.description,
      r.description_content_type, r.keywords, r.home_page, r.author, r.author_email, r.maintainer,
      r.maintainer_email, r.license, r.license_expression, r.classifiers, r.requires_dist, r.requires_python,
      r.provides_extra, r.project_urls, r.yanked, r.yanked_reason) END,
    (${JSON_API_FILES} WHERE ${files})) AS doc
  FROM projects p LEFT JOIN releases r ON r.project_id = p.id AND ${release}
  WHERE ${where}`;
// projects.latest_version is selectLatestRelease's choice, stored in the same transaction as every
// upload, yank and deletion (lib/projects/summary.ts): the latest release without PEP 440 sorting.
// Many projects at once: the edge's first renders arriving together share one query.
const LATEST = jsonApiQuery(
  "r.version = p.latest_version",
  "rr.project_id = p.id",
  "p.normalized_name = ANY($1::text[])",
);
// The unique (project, canonical version) pair: `1.0` finds `1.0.0`, as on PyPI.
const ONE_VERSION = jsonApiQuery("r.canonical_version = $2", "rr.id = r.id", "p.normalized_name = $1");

type FileColumns = [string, string, string, string | null, number, string, string, string, string | null, number];
type NoFile = [null, null, null, null, null, null, null, null, null, null];
type JsonApiDoc = [
  name: string,
  lastSerial: number,
  release:
    | [
        version: string,
        summary: string | null,
        description: string | null,
        descriptionContentType: string | null,
        keywords: string[],
        homePage: string | null,
        author: string | null,
        authorEmail: string | null,
        maintainer: string | null,
        maintainerEmail: string | null,
        license: string | null,
        licenseExpression: string | null,
        classifiers: string[],
        requiresDist: string[],
        requiresPython: string | null,
        providesExtra: string[],
        projectUrls: unknown,
        yanked: boolean,
        yankedReason: string | null,
      ]
    | null,
  files: [string, boolean, string | null, ...(FileColumns | NoFile)][] | null,
];

/** JSON_API_FILES's rows as releases with their files, in the rows' order. */
function releasesFromRows(rows: JsonApiDoc[3]): JsonApiReleaseFiles[] {
  // Consecutive rows of one version make one release.
  const releases: JsonApiReleaseFiles[] = [];
  for (const [version, yanked, yankedReason, ...f] of rows ?? []) {
    let release = releases[releases.length - 1];
    if (release?.version !== version) releases.push((release = { version, yanked, yankedReason, files: [] }));
    if (f[0] === null) continue;
    const [filename, packagetype, pythonVersion, requiresPython, size, sha256, md5, blake2b256, metadataSha256, at] =
      f as FileColumns;
    const row = { filename, packagetype, pythonVersion, requiresPython, size, sha256, md5, blake2b256, metadataSha256 };
    release.files.push(toIndexFile({ ...row, uploadedAt: new Date(at) }, release));
  }
  return releases;
}

function jsonApiProject(doc: JsonApiDoc, withReleases: boolean): JsonApiProject {
  const [name, lastSerial, r, rows] = doc;
  const releases = releasesFromRows(rows);
  return {
    name,
    lastSerial,
    release: r && {
      version: r[0],
      summary: r[1],
      description: r[2],
      descriptionContentType: r[3],
      keywords: r[4],
      homePage: r[5],
      author: r[6],
      authorEmail: r[7],
      maintainer: r[8],
      maintainerEmail: r[9],
      license: r[10],
      licenseExpression: r[11],
      classifiers: r[12],
      requiresDist: r[13],
      requiresPython: r[14],
      providesExtra: r[15],
      projectUrls: Array.isArray(r[16]) ? (r[16] as ProjectUrl[]) : [],
      yanked: r[17],
      yankedReason: r[18],
      files: releases.find((x) => x.version === r[0])?.files ?? [],
    },
    releases: withReleases ? releases : undefined,
  };
}

// The same rows for /simple/<project>/: one statement, where Prisma's nested select took three and
// built an object per row (a page's first render through HTTP: 1.5 CPU-ms then, 1.1 now).
const INDEX_PROJECT = `SELECT p.name, p.last_serial, (${JSON_API_FILES} WHERE rr.project_id = p.id) AS files
  FROM projects p WHERE p.normalized_name = $1`;

/** What /simple/<project>/ shows, or null for an unknown project: releases in PEP 440 order, files by name. */
export async function getIndexProject(normalizedName: string): Promise<IndexProject | null> {
  const {
    rows: [project],
  } = await pool().query<{ name: string; last_serial: string; files: JsonApiDoc[3] }>({
    name: "index-project",
    text: INDEX_PROJECT,
    values: [normalizedName],
  });
  if (!project) return null;
  const releases = releasesFromRows(project.files).sort(byVersion);
  return {
    name: project.name,
    normalizedName,
    lastSerial: Number(project.last_serial),
    versions: releases.map((r) => r.version),
    files: releases.flatMap((r) => r.files.sort((a, b) => a.filename.localeCompare(b.filename))),
  };
}

/**
 * What `/pypi/<project>/json` shows for each of these projects (normalized names), in one round
 * trip; a name without a project is missing from the map. `release` is null without releases.
 */
export async function getJsonApiProjects(normalizedNames: string[]): Promise<Map<string, JsonApiProject>> {
  const { rows } = await pool().query<{ normalized_name: string; doc: JsonApiDoc }>({
    name: "json-api-latest",
    text: LATEST,
    values: [normalizedNames],
  });
  return new Map(rows.map((r) => [r.normalized_name, jsonApiProject(r.doc, true)]));
}

/**
 * What `/pypi/<project>/<version>/json` shows (`version` as typed in the URL): null for an unknown
 * project; `release` null when no release has that version.
 */
export async function getJsonApiRelease(normalizedName: string, version: string): Promise<JsonApiProject | null> {
  const { rows } = await pool().query<{ doc: JsonApiDoc }>({
    name: "json-api-version",
    text: ONE_VERSION,
    // A string that is no PEP 440 version can only equal a stored (always canonical) one as typed.
    values: [normalizedName, canonicalizeVersion(version) ?? version],
  });
  return rows[0] ? jsonApiProject(rows[0].doc, false) : null;
}

// The root index's two reads are plain SQL through the pool, as every other read of the index: Prisma
// compiled each the first time a process asked (the first /simple/ of a process waited 250 ms for
// its first byte, 12 ms after), then mapped an object per row of every 5,000-name page.

/** Every project for /simple/, in name order, fetched in pages so the response can stream. */
export async function* listIndexProjects(
  pageSize = 5000,
): AsyncGenerator<{ name: string; normalizedName: string; lastSerial: number }[]> {
  // Keyset pages: names are never empty, so '' is before the first.
  let after = "";
  for (;;) {
    const { rows } = await pool().query<{ name: string; normalizedName: string; lastSerial: string }>({
      name: "index-projects-page",
      text: `SELECT name, normalized_name AS "normalizedName", last_serial AS "lastSerial" FROM projects
        WHERE normalized_name > $1 ORDER BY normalized_name LIMIT $2`,
      values: [after, pageSize],
    });
    if (!rows.length) return;
    yield rows.map((r) => ({ name: r.name, normalizedName: r.normalizedName, lastSerial: Number(r.lastSerial) }));
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.normalizedName;
  }
}

/** The newest serial of any project: the root index's version. */
export async function lastSerial(): Promise<number> {
  // A deleted project's last serial lives on with its reserved name: the index's serial never goes back.
  const { rows } = await pool().query<{ serial: string }>({
    name: "index-last-serial",
    text: `SELECT GREATEST((SELECT max(last_serial) FROM projects), (SELECT max(serial) FROM reserved_project_names),
      0) AS serial`,
  });
  return Number(rows[0]!.serial);
}

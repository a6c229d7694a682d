// Reads for the index APIs and pages: plain objects (lib/index-api/types.ts) in PEP 440 order.
import "server-only";
import { db, pool } from "@/lib/db/client";
import { compareVersions } from "../packaging/versions";
import { RELEASE_FIELDS, type ProjectUrl, type ReleaseField } from "../packaging/metadata";
import type { IndexFile, IndexProject, ProjectDetail, ReleaseDetail } from "./types";

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

/** What /simple/<project>/ shows, or null for an unknown project. */
export async function getIndexProject(normalizedName: string): Promise<IndexProject | null> {
  const project = await db().project.findUnique({
    where: { normalizedName },
    select: {
      name: true,
      normalizedName: true,
      lastSerial: true,
      releases: { select: { version: true, yanked: true, yankedReason: true, files: { select: fileSelect } } },
    },
  });
  if (!project) return null;
  const releases = [...project.releases].sort(byVersion);
  return {
    name: project.name,
    normalizedName: project.normalizedName,
    lastSerial: Number(project.lastSerial),
    versions: releases.map((r) => r.version),
    files: releases.flatMap((r) =>
      [...r.files].sort((a, b) => a.filename.localeCompare(b.filename)).map((f) => toIndexFile(f, r)),
    ),
  };
}

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

/** Every project for /simple/, in name order, fetched in pages so the response can stream. */
export async function* listIndexProjects(
  pageSize = 5000,
): AsyncGenerator<{ name: string; normalizedName: string; lastSerial: number }[]> {
  let after: string | undefined;
  for (;;) {
    const rows = await db().project.findMany({
      where: after ? { normalizedName: { gt: after } } : undefined,
      orderBy: { normalizedName: "asc" },
      take: pageSize,
      select: { name: true, normalizedName: true, lastSerial: true },
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
  const [live, deleted] = await Promise.all([
    db().project.aggregate({ _max: { lastSerial: true } }),
    db().reservedProjectName.aggregate({ _max: { serial: true } }),
  ]);
  return Number([live._max.lastSerial ?? 0n, deleted._max.serial ?? 0n].reduce((a, b) => (a > b ? a : b)));
}

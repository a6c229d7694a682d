// Reads for the index APIs and pages: plain objects (lib/index-api/types.ts) in PEP 440 order.
import "server-only";
import { db } from "@/lib/db/client";
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
  size: bigint;
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

/** Everything about a project's releases, for the JSON API and the project pages. */
export async function getProjectDetail(normalizedName: string): Promise<ProjectDetail | null> {
  const project = await db().project.findUnique({
    where: { normalizedName },
    select: { name: true, normalizedName: true, lastSerial: true, releases: { select: releaseSelect } },
  });
  if (!project) return null;
  const releases: ReleaseDetail[] = [...project.releases].sort(byVersion).map((r) => ({
    ...r,
    projectUrls: Array.isArray(r.projectUrls) ? (r.projectUrls as unknown as ProjectUrl[]) : [],
    files: [...r.files].sort((a, b) => a.filename.localeCompare(b.filename)).map((f) => toIndexFile(f, r)),
  }));
  return {
    name: project.name,
    normalizedName: project.normalizedName,
    lastSerial: Number(project.lastSerial),
    releases,
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

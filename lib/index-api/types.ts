// Plain data the read APIs render: built by lib/index-api/queries.ts, never raw database rows.
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ProjectUrl } from "@/lib/packaging/metadata";
import type { releaseSelect } from "./queries";

export interface IndexFile {
  filename: string;
  /** Path of the download, e.g. "/packages/ab/cd/ef…/foo-1.0.tar.gz" (rendered absolute or relative as needed). */
  url: string;
  version: string;
  packagetype: "bdist_wheel" | "sdist";
  pythonVersion: string;
  requiresPython: string | null;
  size: number;
  sha256: string;
  md5: string;
  blake2b256: string;
  uploadedAt: Date;
  /** False when not yanked; otherwise the reason (may be the empty string). Yanking is per release. */
  yanked: false | string;
  /** sha256 of the wheel's METADATA (PEP 658), served at `${url}.metadata`; null when none. */
  metadataSha256: string | null;
}

export interface IndexProject {
  name: string;
  normalizedName: string;
  lastSerial: number;
  /** Every version of the project, oldest first (PEP 700), including yanked ones and ones without files. */
  versions: string[];
  /** Every file, ordered by version then filename. */
  files: IndexFile[];
}

/** A release as the pages and the JSON API show it: the columns of `releaseSelect`, with its files. */
export type ReleaseDetail = Omit<
  Prisma.ReleaseGetPayload<{ select: typeof releaseSelect }>,
  "projectUrls" | "files"
> & {
  projectUrls: ProjectUrl[];
  files: IndexFile[];
};

export interface ProjectDetail {
  name: string;
  normalizedName: string;
  lastSerial: number;
  /** Oldest first, PEP 440 order. */
  releases: ReleaseDetail[];
}

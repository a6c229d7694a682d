// Plain data the read APIs render: built by lib/index-api/queries.ts, never raw database rows.

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

export interface ReleaseDetail {
  version: string;
  summary: string | null;
  description: string | null;
  descriptionContentType: string | null;
  /** Rendered and sanitized at upload; absent for rows made otherwise (then rendered on view). */
  descriptionHtml?: string | null;
  keywords: string[];
  homePage: string | null;
  author: string | null;
  authorEmail: string | null;
  maintainer: string | null;
  maintainerEmail: string | null;
  license: string | null;
  licenseExpression: string | null;
  classifiers: string[];
  requiresDist: string[];
  requiresPython: string | null;
  providesExtra: string[];
  projectUrls: { label: string; url: string }[];
  yanked: boolean;
  yankedReason: string | null;
  createdAt: Date;
  files: IndexFile[];
}

export interface ProjectDetail {
  name: string;
  normalizedName: string;
  lastSerial: number;
  /** Oldest first, PEP 440 order. */
  releases: ReleaseDetail[];
}

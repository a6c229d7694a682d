// What the fast paths ask PostgreSQL on every request to know their cached bytes are still right:
// a project's last serial (bumped in the same transaction as every change, lib/projects/journal.ts)
// and whether a file still exists. Both are coalesced (./coalesce.ts) and sent as plain SQL on an
// indexed column through the process's pool (lib/db/client.ts), without an ORM in the hot loop.
import "server-only";
import { pool } from "@/lib/db/client";
import { coalesced } from "./coalesce";

/** The project's current serial, or undefined when no project has this normalized name. */
export const projectSerial = coalesced<string, number>(async (names) => {
  const { rows } = await pool().query<{ normalized_name: string; last_serial: string }>({
    // Named: prepared once per connection, so PostgreSQL skips parsing and planning after that.
    name: "fast-project-serials",
    text: "SELECT normalized_name, last_serial FROM projects WHERE normalized_name = ANY($1::text[])",
    values: [names],
  });
  return new Map(rows.map((r) => [r.normalized_name, Number(r.last_serial)]));
});

export interface DownloadableFile {
  filename: string;
  sha256: string;
  metadataSha256: string | null;
}

/** The file row behind a download URL, looked up by its (unique) filename; undefined once deleted. */
export const downloadableFile = coalesced<string, DownloadableFile>(async (filenames) => {
  const { rows } = await pool().query<{ filename: string; sha256: string; metadata_sha256: string | null }>({
    name: "fast-downloadable-files",
    text: "SELECT filename, sha256, metadata_sha256 FROM files WHERE filename = ANY($1::text[])",
    values: [filenames],
  });
  return new Map(
    rows.map((r) => [r.filename, { filename: r.filename, sha256: r.sha256, metadataSha256: r.metadata_sha256 }]),
  );
});

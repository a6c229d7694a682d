// A release's files as pypi.org lists them: the source distribution, then the built ones, each with
// its size, upload time and the hashes to check a download against (each with a copy button).
import type { IndexFile } from "@/lib/index-api/types";
import { CopyButton } from "@/components/ui/copy-button";
import { LocalTime } from "@/components/ui/local-time";
import { FileSize } from "./file-size";

function FileEntry({ file }: { file: IndexFile }) {
  const hashes = [
    ["SHA256", file.sha256],
    ["MD5", file.md5],
    ["BLAKE2b-256", file.blake2b256],
  ] as const;
  return (
    <li className="file-entry" data-filename={file.filename}>
      <div className="file-entry-head">
        <a href={file.url} className="file-entry-name">
          {file.filename}
        </a>
        <span className="muted small">
          <FileSize bytes={file.size} />
          {file.packagetype === "bdist_wheel" && file.pythonVersion && file.pythonVersion !== "source" && (
            <> · {file.pythonVersion}</>
          )}
          {" · "}Uploaded <LocalTime date={file.uploadedAt} />
        </span>
      </div>
      <details className="hashes">
        <summary>Hashes for {file.filename}</summary>
        <table className="hash-table">
          <thead>
            <tr>
              <th scope="col">Algorithm</th>
              <th scope="col">Hash digest</th>
              <th scope="col">
                <span className="visually-hidden">Copy</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {hashes.map(([algorithm, digest]) => (
              <tr key={algorithm} data-algorithm={algorithm}>
                <th scope="row">{algorithm}</th>
                <td>
                  <code>{digest}</code>
                </td>
                <td>
                  <CopyButton text={digest} label="Copy" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </li>
  );
}

function FileGroup({ title, id, files }: { title: string; id: string; files: readonly IndexFile[] }) {
  if (files.length === 0) return null;
  return (
    <section aria-labelledby={id} data-testid={id}>
      <h3 id={id}>{title}</h3>
      <ul className="file-list">
        {files.map((file) => (
          <FileEntry key={file.filename} file={file} />
        ))}
      </ul>
    </section>
  );
}

export function FileTable({ version, files }: { version: string | null; files: readonly IndexFile[] }) {
  const byName = [...files].sort((a, b) => a.filename.localeCompare(b.filename));
  const source = byName.filter((f) => f.packagetype === "sdist");
  const built = byName.filter((f) => f.packagetype !== "sdist");
  return (
    <section className="card" id="files" aria-labelledby="files-h">
      <h2 id="files-h">Download files{version && <span className="muted"> for {version}</span>}</h2>
      {files.length === 0 ? (
        <p className="muted" data-testid="files">
          No files have been uploaded for this release.
        </p>
      ) : (
        <div data-testid="files">
          <FileGroup title="Source distribution" id="files-source" files={source} />
          <FileGroup title="Built distributions" id="files-built" files={built} />
        </div>
      )}
    </section>
  );
}

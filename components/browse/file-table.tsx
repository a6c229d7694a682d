// A release's files: download link, kind, size, upload time, and the hashes to check a download against.
import type { IndexFile } from "@/lib/packaging/types";
import { LocalTime } from "@/components/ui/local-time";
import { FileSize } from "./file-size";

function describeType(file: IndexFile): string {
  if (file.packagetype === "sdist") return "Source";
  return file.pythonVersion && file.pythonVersion !== "source" ? `Wheel (${file.pythonVersion})` : "Wheel";
}

export function FileTable({ version, files }: { version: string | null; files: readonly IndexFile[] }) {
  // pypi.org lists the source distribution first, then the built ones.
  const sorted = [...files].sort(
    (a, b) => Number(a.packagetype !== "sdist") - Number(b.packagetype !== "sdist") || a.filename.localeCompare(b.filename),
  );
  return (
    <section className="card" id="files" aria-labelledby="files-h">
      <h2 id="files-h">Download files{version && <span className="muted"> for {version}</span>}</h2>
      {sorted.length === 0 ? (
        <p className="muted" data-testid="files">No files have been uploaded for this release.</p>
      ) : (
        <div className="table-wrap">
          <table className="file-table" data-testid="files">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Type</th>
                <th scope="col">Size</th>
                <th scope="col">Uploaded</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((file) => (
                <tr key={file.filename} data-filename={file.filename}>
                  <td className="file-name">
                    <a href={file.url}>{file.filename}</a>
                    <details className="hashes">
                      <summary>Hashes</summary>
                      <dl>
                        <dt>SHA256</dt>
                        <dd><code>{file.sha256}</code></dd>
                        <dt>MD5</dt>
                        <dd><code>{file.md5}</code></dd>
                        <dt>BLAKE2b-256</dt>
                        <dd><code>{file.blake2b256}</code></dd>
                      </dl>
                    </details>
                  </td>
                  <td>{describeType(file)}</td>
                  <td className="nowrap"><FileSize bytes={file.size} /></td>
                  <td className="nowrap"><LocalTime date={file.uploadedAt} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

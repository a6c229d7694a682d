// Hand-made distributions and raw uploads, for the refusals twine would never let us send.
import crypto from "node:crypto";
import yazl from "yazl";
import { BASE_URL } from "./env";

export function metadataText(name: string, version: string, extra = ""): string {
  return `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: Hand-made ${name}\n${extra}\n`;
}

/**
 * A wheel zip; `omit` drops members to make it invalid; `requires` become Requires-Dist lines;
 * `metadata` and `wheelFile` replace the text of METADATA and WHEEL.
 */
export async function makeWheel(opts: {
  name: string;
  version: string;
  metadataName?: string;
  metadataVersion?: string;
  omit?: string[];
  payload?: Buffer;
  requires?: string[];
  metadata?: string;
  wheelFile?: string;
}): Promise<Buffer> {
  const distInfo = `${opts.name.replace(/[-.]+/g, "_")}-${opts.version}.dist-info`;
  const zip = new yazl.ZipFile();
  const members: Record<string, string> = {
    [`${opts.name.replace(/[-.]+/g, "_")}/__init__.py`]: "VALUE = 1\n",
    [`${distInfo}/METADATA`]:
      opts.metadata ??
      metadataText(
        opts.metadataName ?? opts.name,
        opts.metadataVersion ?? opts.version,
        (opts.requires ?? []).map((r) => `Requires-Dist: ${r}\n`).join(""),
      ),
    [`${distInfo}/WHEEL`]:
      opts.wheelFile ?? "Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    [`${distInfo}/RECORD`]: "",
  };
  for (const [file, content] of Object.entries(members)) {
    if (!opts.omit?.some((o) => file.endsWith(o))) zip.addBuffer(Buffer.from(content), file);
  }
  // Extra bytes make distinct (or large) wheels; stored uncompressed, as random data would be anyway.
  if (opts.payload) zip.addBuffer(opts.payload, `${opts.name.replace(/[-.]+/g, "_")}/payload.bin`, { compress: false });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface RawUpload {
  token: string;
  filename: string;
  content: Buffer;
  name: string;
  version: string;
  filetype?: string;
  username?: string;
  fields?: Record<string, string>;
  sha256?: string;
  /** Another Wheelhouse process than the main end-to-end server. */
  baseUrl?: string;
}

export interface Part {
  name: string;
  value: string | Buffer;
  filename?: string;
}

/**
 * A multipart/form-data body exactly as written, for what no client library would send (a second
 * file, a missing closing boundary, a NUL in a field).
 */
export function multipart(parts: Part[], boundary: string, opts: { end?: boolean } = {}): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const filenameField = part.filename !== undefined ? `; filename="${part.filename}"` : "";
    const disposition = `form-data; name="${part.name}"${filenameField}`;
    const type = part.filename !== undefined ? "Content-Type: application/octet-stream\r\n" : "";
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`),
      Buffer.from(part.value),
      Buffer.from("\r\n"),
    );
  }
  if (opts.end !== false) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** The fields twine sends beside a file, with `overrides` replacing or adding fields. */
function twineFields(
  u: { name: string; version: string; filename: string; content: Buffer },
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    ":action": "file_upload",
    protocol_version: "1",
    metadata_version: "2.1",
    name: u.name,
    version: u.version,
    filetype: u.filename.endsWith(".whl") ? "bdist_wheel" : "sdist",
    pyversion: u.filename.endsWith(".whl") ? "py3" : "source",
    sha256_digest: crypto.createHash("sha256").update(u.content).digest("hex"),
    ...overrides,
  };
}

/** The parts twine sends for a file, with `overrides` replacing or adding fields. */
export function uploadParts(
  u: { name: string; version: string; filename: string; content: Buffer },
  overrides: Record<string, string> = {},
): Part[] {
  const fields = twineFields(u, overrides);
  return [
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: "content", value: u.content, filename: u.filename },
  ];
}

/** POSTs the form twine would send; returns status, reason phrase and body. */
export async function rawUpload(u: RawUpload): Promise<{ status: number; reason: string; body: string }> {
  const form = new FormData();
  const fields = twineFields(u, {
    ...(u.filetype !== undefined ? { filetype: u.filetype } : {}),
    ...(u.sha256 !== undefined ? { sha256_digest: u.sha256 } : {}),
    ...u.fields,
  });
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("content", new Blob([new Uint8Array(u.content)]), u.filename);
  const auth = Buffer.from(`${u.username ?? "__token__"}:${u.token}`).toString("base64");
  const url = `${u.baseUrl ?? BASE_URL}/legacy/`;
  const request = new Request(url, { method: "POST", body: form, headers: { authorization: `Basic ${auth}` } });
  const body = Buffer.from(await request.arrayBuffer());
  return postRaw(url, { authorization: `Basic ${auth}`, "content-type": request.headers.get("content-type")! }, body);
}

/**
 * POSTs `body` as given; returns status, reason phrase and body (Node's fetch hides the reason phrase,
 * which twine shows).
 */
export async function postRaw(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; reason: string; body: string }> {
  const { default: http } = await import("node:http");
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers: { ...headers, "content-length": body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          reason: res.statusMessage ?? "",
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** An sdist as a .zip archive (the other allowed sdist format). */
export async function makeZipSdist(name: string, version: string): Promise<Buffer> {
  const top = `${name.replace(/[-.]+/g, "_")}-${version}`;
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(metadataText(name, version)), `${top}/PKG-INFO`);
  zip.addBuffer(Buffer.from("[build-system]\n"), `${top}/pyproject.toml`);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// Reads the multipart form that twine posts, streaming the file to a temporary file in the blob
// store while hashing it: the upload is never held whole in memory.
import "server-only";
import fs from "node:fs";
import crypto from "node:crypto";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import { createBLAKE2b } from "hash-wasm";
import { UploadError } from "./errors";

export interface ReceivedFile {
  filename: string;
  tempPath: string;
  size: number;
  sha256: string;
  md5: string;
  blake2b256: string;
}

export interface ReceivedForm {
  fields: Map<string, string[]>;
  file: ReceivedFile | null;
}

/** The longest form field accepted (a README can be long; this bounds memory per request). */
const MAX_FIELD_BYTES = 4 * 1024 * 1024;

/** A client that went away mid-upload is the client's problem, not a server failure to log. */
function asInterrupted(err: unknown): unknown {
  if (err instanceof UploadError) return err;
  const e = err as { code?: string; message?: string };
  if (
    e.code === "ECONNRESET" ||
    e.code === "ERR_STREAM_PREMATURE_CLOSE" ||
    /aborted|unexpected end/i.test(e.message ?? "")
  ) {
    return new UploadError(400, "The upload was interrupted before it was complete.");
  }
  return err;
}

export async function receiveForm(
  body: Readable,
  contentType: string,
  tempPath: () => string,
  maxFileBytes: number,
): Promise<ReceivedForm> {
  if (!/^multipart\/form-data/i.test(contentType)) {
    throw new UploadError(400, "Invalid request: expected a multipart/form-data upload, as twine sends.");
  }
  const fields = new Map<string, string[]>();
  let file: ReceivedFile | null = null;
  let pendingFile: Promise<void> | null = null;
  let temp: { path: string; writer: fs.WriteStream } | null = null;

  // busboy reads a quoted empty boundary as a boundary, then finds no parts at all.
  const boundary = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^\s;]*))/i.exec(contentType);
  if (!boundary?.[1] && !boundary?.[2]) {
    throw new UploadError(
      400,
      "Invalid multipart upload: the Content-Type header has no boundary, as twine would send it.",
    );
  }
  // Ready before the first byte is parsed: the file part's stream must be piped the moment it
  // appears, or an error on it (a body cut short) would have no listener.
  const blake = await createBLAKE2b(256);
  let parser: ReturnType<typeof busboy>;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      limits: { files: 1, fileSize: maxFileBytes, fields: 500, fieldSize: MAX_FIELD_BYTES, parts: 600 },
    });
  } catch (err) {
    throw new UploadError(
      400,
      `Invalid multipart upload: the Content-Type header cannot be parsed (${(err as Error).message}).`,
    );
  }

  const done = new Promise<void>((resolve, reject) => {
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) {
        reject(new UploadError(400, `Invalid value for ${name}: longer than ${MAX_FIELD_BYTES / 1024 / 1024} MB.`));
        return;
      }
      // Every field may end up in PostgreSQL, whose text cannot hold U+0000 (error 22021).
      if (value.includes("\0")) {
        reject(new UploadError(400, `Invalid value for ${name}: NUL characters (\\0) are not allowed.`));
        return;
      }
      const list = fields.get(name) ?? [];
      list.push(value);
      fields.set(name, list);
    });
    parser.on("file", (name, stream, info) => {
      if (name !== "content" || file || pendingFile) {
        stream.resume();
        return;
      }
      // Created here, synchronously, so that a refusal arriving at any moment finds it to remove.
      const path = tempPath();
      const writer = fs.createWriteStream(path, { mode: 0o600 });
      temp = { path, writer };
      pendingFile = (async () => {
        const sha256 = crypto.createHash("sha256");
        const md5 = crypto.createHash("md5");
        blake.init();
        let size = 0;
        let tooLarge = false;
        stream.on("limit", () => {
          tooLarge = true;
        });
        const hasher = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            size += chunk.length;
            sha256.update(chunk);
            md5.update(chunk);
            blake.update(chunk);
            cb(null, chunk);
          },
        });
        await pipeline(stream, hasher, writer);
        if (tooLarge) {
          throw new UploadError(400, `File too large. The limit is ${Math.round(maxFileBytes / 1024 / 1024)} MB.`);
        }
        file = {
          filename: info.filename ?? "",
          tempPath: path,
          size,
          sha256: sha256.digest("hex"),
          md5: md5.digest("hex"),
          blake2b256: blake.digest("hex"),
        };
      })();
      pendingFile.catch((err: unknown) => reject(asInterrupted(err)));
    });
    parser.on("filesLimit", () => reject(new UploadError(400, "Upload one file per request.")));
    parser.on("partsLimit", () => reject(new UploadError(400, "Too many form parts.")));
    parser.on("fieldsLimit", () => reject(new UploadError(400, "Too many form fields.")));
    parser.on("error", (err: Error) => reject(new UploadError(400, `Invalid multipart upload: ${err.message}`)));
    parser.on("close", () => {
      if (pendingFile) pendingFile.then(resolve, (err: unknown) => reject(asInterrupted(err)));
      else resolve();
    });
    body.on("error", (err) => reject(asInterrupted(err)));
    body.on("aborted", () => reject(new UploadError(400, "The upload was interrupted.")));
  });

  body.pipe(parser);
  try {
    await done;
    return { fields, file };
  } catch (err) {
    body.unpipe(parser);
    body.resume();
    if (temp) await removeWritten(temp);
    throw err;
  }
}

/**
 * Removes a refused upload's temporary file. The writer may still be opening the file (a refusal can
 * arrive in the same chunk as the file) or writing to it: removing first would let it create the
 * file again afterwards, so it is stopped and closed before the file goes.
 */
async function removeWritten(temp: { path: string; writer: fs.WriteStream }): Promise<void> {
  if (!temp.writer.closed) {
    const closed = new Promise<void>((resolve) => temp.writer.once("close", () => resolve()));
    temp.writer.destroy();
    await closed;
  }
  await fs.promises.rm(temp.path, { force: true });
}

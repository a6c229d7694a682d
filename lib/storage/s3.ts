// Object storage: any S3-compatible service (AWS S3, MinIO, Ceph, Cloudflare R2, …). Uploads are
// received and checked in a local temporary file first (see TempFiles), then streamed to the bucket
// as a multipart upload; downloads are proxied from the bucket or redirected to a presigned URL.
import "server-only";
import fs from "node:fs";
import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import {
  BLOB_KEY,
  fannedOut,
  ORPHAN_BLOB_GRACE_MS,
  type BlobStore,
  type DownloadHeaders,
  type DownloadRedirect,
  type StoredBlob,
} from "./blob-store";
import { consuming, TempFiles } from "./temp-files";

// A multipart upload holds about queueSize parts in memory at once: 2 × 8 MiB whatever the file's
// size (S3's smallest allowed part is 5 MiB).
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;
/** How long a presigned download URL works; pip fetches it straight after the redirect. */
export const PRESIGNED_URL_SECONDS = 300;

export interface S3StoreOptions {
  bucket: string;
  /** For S3-compatible services; unset means AWS S3 itself. */
  endpoint?: string;
  region: string;
  /** Unset: the SDK's default chain (environment, shared config, instance or task role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and most self-hosted services need. */
  forcePathStyle: boolean;
  /** Folder-like prefix of every object key, e.g. `packages/`. */
  prefix: string;
  /** `redirect`: downloads answer with a presigned URL; `proxy`: the bytes stream through Wheelhouse. */
  downloads: "proxy" | "redirect";
  /** The local files folder, whose `.tmp` holds uploads being received. */
  localRoot: string;
}

/** `packages`, `/packages/` and `packages/` all mean `packages/`; an empty prefix is the bucket's root. */
function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, "");
  return trimmed ? `${trimmed}/` : "";
}

function isNotFound(err: unknown): boolean {
  return (
    err instanceof S3ServiceException &&
    (err.name === "NoSuchKey" || err.name === "NotFound" || err.$metadata.httpStatusCode === 404)
  );
}

/** What went wrong, in words an operator can act on; built from the error only, never from the credentials. */
export function describeS3Error(err: unknown): string {
  if (err instanceof S3ServiceException) {
    const status = err.$metadata.httpStatusCode;
    const hint =
      status === 404
        ? "the bucket does not exist (create it, or fix S3_BUCKET)"
        : status === 403
          ? "access denied (wrong credentials, or they lack s3:ListBucket on the bucket)"
          : status === 301 || err.name === "PermanentRedirect" || err.name === "AuthorizationHeaderMalformed"
            ? "the bucket is in another region (set S3_REGION) or needs another endpoint"
            : null;
    // HEAD responses have no body, so the SDK can only say "UnknownError" for them.
    const said = err.message && err.message !== "UnknownError" ? `: ${err.message}` : "";
    return `${hint ? `${hint}; ` : ""}the store answered ${err.name} (HTTP ${status ?? "?"})${said}`;
  }
  const e = err as { name?: string; code?: string; message?: string; errors?: { message?: string }[] };
  if (e.name === "CredentialsProviderError") {
    return (
      `no credentials found (${e.message}): set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, ` +
      `or configure the AWS default credential chain`
    );
  }
  // A refused connection to "localhost" arrives as an AggregateError (IPv4 and IPv6) with an empty message.
  const message = e.message || e.errors?.map((x) => x.message).join("; ") || String(err);
  return `cannot reach it (${e.code ?? e.name ?? "error"}: ${message})`;
}

export class S3Store implements BlobStore {
  private readonly client: S3Client;
  readonly temp: TempFiles;
  private readonly prefix: string;

  constructor(private readonly options: S3StoreOptions) {
    this.temp = new TempFiles(options.localRoot);
    this.prefix = normalizePrefix(options.prefix);
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials,
      // The SDK's defaults add CRC32 checksums in aws-chunked trailers, which many S3-compatible
      // services reject; checksums only where an operation requires them.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      // Without it an unreachable endpoint that drops packets hangs start-up instead of failing it.
      requestHandler: { connectionTimeout: 10_000 },
    });
  }

  /** The object key of a blob: `<prefix>aa/bb/<sha256>`. */
  objectKey(key: string): string {
    return this.prefix + fannedOut(key).join("/");
  }

  /** When the object was last stored, or null when there is none. */
  private async storedAt(objectKey: string): Promise<Date | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: objectKey }));
      return head.LastModified ?? new Date(0);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /**
   * Content-addressed: an object already under the key holds these very bytes, so a recent one is
   * kept as it is. An older one is stored again, which renews its date: it may be an orphan that the
   * sweep is about to remove, and the caller's rows are not committed yet.
   */
  private async upload(key: string, body: () => Readable | Buffer): Promise<void> {
    const objectKey = this.objectKey(key);
    const stored = await this.storedAt(objectKey);
    if (stored && stored.getTime() > Date.now() - ORPHAN_BLOB_GRACE_MS / 2) return;
    // One PutObject below PART_SIZE, a multipart upload above; a failed one is aborted, and until
    // completed nothing is visible under the key.
    await new Upload({
      client: this.client,
      params: { Bucket: this.options.bucket, Key: objectKey, Body: body(), ContentType: "application/octet-stream" },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
    }).done();
  }

  tempPath(): string {
    return this.temp.next();
  }

  async putFile(tempPath: string, key: string): Promise<void> {
    await consuming(tempPath, () => this.upload(key, () => fs.createReadStream(tempPath)));
  }

  async putBytes(key: string, data: Buffer): Promise<void> {
    await this.upload(key, () => data);
  }

  async open(key: string): Promise<StoredBlob | null> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) }),
      );
      if (object.ContentLength === undefined) throw new Error(`object ${this.objectKey(key)} came without a length`);
      // In Node the body is the HTTP response itself: streamed, never buffered.
      return { stream: object.Body as Readable, size: object.ContentLength };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async has(key: string): Promise<boolean> {
    return (await this.storedAt(this.objectKey(key))) !== null;
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) }));
  }

  async *list(): AsyncIterable<{ key: string; stored: Date }> {
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.prefix, ContinuationToken }),
      );
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(this.prefix.length).split("/").pop() ?? "";
        // Only `<prefix>aa/bb/<sha256>` objects are blobs; others in the bucket are not Wheelhouse's to judge.
        if (BLOB_KEY.test(key) && object.Key === this.objectKey(key))
          yield { key, stored: object.LastModified ?? new Date() };
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  async deleteIfStoredBefore(key: string, cutoff: Date): Promise<boolean> {
    // Looked at again just before: an upload that stored the key since the listing renewed its date.
    const stored = await this.storedAt(this.objectKey(key));
    if (!stored || stored > cutoff) return false;
    await this.delete(key);
    return true;
  }

  async downloadUrl(key: string, headers: DownloadHeaders): Promise<DownloadRedirect | null> {
    if (this.options.downloads !== "redirect") return null;
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: this.objectKey(key),
      // The store then answers with the headers Wheelhouse itself would send.
      ResponseContentType: headers.contentType,
      ResponseContentDisposition: headers.contentDisposition,
    });
    const url = await getSignedUrl(this.client, command, { expiresIn: PRESIGNED_URL_SECONDS });
    return { url, expiresIn: PRESIGNED_URL_SECONDS };
  }

  private where(): string {
    const { bucket, endpoint, region } = this.options;
    if (!endpoint) return `S3 bucket "${bucket}" (AWS, region ${region})`;
    const url = new URL(endpoint);
    url.username = url.password = "";
    return `S3 bucket "${bucket}" at ${url.origin}`;
  }

  describe(): string {
    return (
      `files stored in ${this.where()} under "${this.prefix}", ` +
      `downloads ${this.options.downloads === "redirect" ? "redirected to presigned URLs" : "proxied"}`
    );
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.options.bucket }));
    } catch (err) {
      throw new Error(
        `Cannot use ${this.where()}: ${describeS3Error(err)}. ` +
          "Check S3_BUCKET, S3_ENDPOINT, S3_REGION, S3_FORCE_PATH_STYLE and the credentials.",
      );
    }
  }
}

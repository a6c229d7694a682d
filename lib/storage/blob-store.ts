// Where distribution files live: a content-addressed store (key = sha256 of the bytes) behind one
// small interface, so local disk and object storage are interchangeable.
import "server-only";
import type { Readable } from "node:stream";
import type { TempFiles } from "./temp-files";

/**
 * Bytes are stored before the rows that refer to them are committed (seconds later at most), so a
 * blob without a row is an orphan only once it is older than this; storing a key again makes it
 * young again (see `putFile`), so an upload in flight never loses its blob to the sweep.
 */
export const ORPHAN_BLOB_GRACE_MS = 60 * 60 * 1000;

export interface StoredBlob {
  stream: Readable;
  size: number;
}

/** The headers a download is served with, wherever its bytes come from. */
export interface DownloadHeaders {
  contentType: string;
  contentDisposition?: string;
}

/** Where a client may fetch the bytes itself, for a while. */
export interface DownloadRedirect {
  url: string;
  /** Seconds the URL stays valid: a response pointing to it must not be cached longer. */
  expiresIn: number;
}

export interface BlobStore {
  /** Local disk for uploads being received, whatever the store. */
  readonly temp: TempFiles;
  /** A path for a new temporary file on local disk, where uploads are received and checked before `putFile`. */
  tempPath(): string;
  /**
   * Moves a complete temporary file into the store under `key`. Storing an existing key keeps its
   * bytes but leaves it at most half the orphan grace period old, so the sweep spares it until the
   * caller's rows are committed. The temporary file is gone afterwards, whether storing worked or not.
   */
  putFile(tempPath: string, key: string): Promise<void>;
  putBytes(key: string, data: Buffer): Promise<void>;
  open(key: string): Promise<StoredBlob | null>;
  /** Whether the store holds `key` right now. */
  has(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Every stored blob with when it was last stored (for the orphan sweep). */
  list(): AsyncIterable<{ key: string; stored: Date }>;
  /** Deletes the blob unless it was stored again after `cutoff`; true when it deleted it. */
  deleteIfStoredBefore(key: string, cutoff: Date): Promise<boolean>;
  /**
   * Stores that can hand out their own short-lived download URLs (object storage) return one here
   * when configured to; without it, or on null, downloads stream through Wheelhouse from `open`.
   */
  downloadUrl?(key: string, headers: DownloadHeaders): Promise<DownloadRedirect | null>;
  /** A one-line description for the start-up log (never a secret). */
  describe(): string;
  /** Fails with an actionable message when the store cannot be used (checked at start-up). */
  check(): Promise<void>;
}

export const BLOB_KEY = /^[0-9a-f]{64}$/;

/** The key's place in the store, fanned out by hash prefix (`aa/bb/<sha256>`) so no folder grows huge. */
export function fannedOut(key: string): [string, string, string] {
  if (!BLOB_KEY.test(key)) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
  return [key.slice(0, 2), key.slice(2, 4), key];
}

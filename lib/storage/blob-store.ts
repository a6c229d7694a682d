// Where distribution files live: a content-addressed store (key = sha256 of the bytes) behind one
// small interface, so local disk and object storage are interchangeable.
import "server-only";
import type { Readable } from "node:stream";

export interface StoredBlob {
  stream: Readable;
  size: number;
}

export interface BlobStore {
  /** A path for a new temporary file on the same filesystem as the store (so `putFile` can rename). */
  tempPath(): string;
  /** Moves a complete temporary file into the store under `key`; storing an existing key is a no-op. */
  putFile(tempPath: string, key: string): Promise<void>;
  putBytes(key: string, data: Buffer): Promise<void>;
  open(key: string): Promise<StoredBlob | null>;
  delete(key: string): Promise<void>;
}

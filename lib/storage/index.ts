// The configured blob store, one per process.
import "server-only";
import path from "node:path";
import { config } from "@/lib/config";
import type { BlobStore } from "./blob-store";
import { LocalDiskStore } from "./local-disk";

let store: BlobStore | undefined;

export function blobStore(): BlobStore {
  store ??= new LocalDiskStore(path.join(config().dataDir, "files"));
  return store;
}

export type { BlobStore, StoredBlob } from "./blob-store";

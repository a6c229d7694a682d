// The configured blob store, one per process.
import "server-only";
import path from "node:path";
import { config } from "@/lib/config";
import type { BlobStore } from "./blob-store";
import { LocalDiskStore } from "./local-disk";
import { S3Store } from "./s3";

let store: BlobStore | undefined;

function configuredStore(): BlobStore {
  const cfg = config();
  // Local disk keeps the files here; S3 keeps only uploads being received (in `.tmp`).
  const localRoot = path.join(cfg.dataDir, "files");
  if (cfg.WHEELHOUSE_STORAGE === "local") return new LocalDiskStore(localRoot);
  return new S3Store({
    bucket: cfg.S3_BUCKET!, // required by the configuration schema when storage is s3
    endpoint: cfg.S3_ENDPOINT,
    region: cfg.S3_REGION,
    credentials:
      cfg.S3_ACCESS_KEY_ID && cfg.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: cfg.S3_ACCESS_KEY_ID, secretAccessKey: cfg.S3_SECRET_ACCESS_KEY }
        : undefined,
    forcePathStyle: cfg.S3_FORCE_PATH_STYLE,
    prefix: cfg.S3_PREFIX,
    downloads: cfg.WHEELHOUSE_S3_DOWNLOADS,
    localRoot,
  });
}

export function blobStore(): BlobStore {
  store ??= configuredStore();
  return store;
}

export type { BlobStore, DownloadHeaders, DownloadRedirect, StoredBlob } from "./blob-store";

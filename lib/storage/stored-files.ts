// Stored bytes are content-addressed and may be shared by several file rows (and metadata files):
// they are removed only once no row refers to them any more.
import "server-only";
import { db } from "@/lib/db/client";
import { blobStore } from "@/lib/storage";

export async function dropUnusedBlobs(keys: (string | null)[]): Promise<void> {
  for (const key of new Set(keys.filter((k): k is string => !!k))) {
    const used = await db().file.count({ where: { OR: [{ sha256: key }, { metadataSha256: key }] } });
    if (!used) await blobStore().delete(key).catch((err: unknown) => console.error(`wheelhouse: could not delete blob ${key}:`, err));
  }
}

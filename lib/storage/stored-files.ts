// Stored bytes are content-addressed and may be shared by several file rows (and metadata files):
// they are removed only once no row refers to them any more.
//
// Bytes are stored before the rows that refer to them are committed, so "no row refers to it" alone
// would race an upload of the same contents in flight: it has stored (or stored again) the blob and
// its rows are about to arrive. Both sides decide under the blob's lock: the deleter checks for rows
// and deletes while holding it; the upload, holding it in its commit, checks that its bytes are still
// there before adding rows that refer to them (`lockStoredBlobs`).
import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { blobStore } from "@/lib/storage";

// The two-key form of advisory locks has a key space of its own: these never collide with the
// single-key locks (uploads' project locks, migrations, the sweep). Any constant works.
const BLOB_LOCKS = 7_413_992;

async function lockBlob(tx: Prisma.TransactionClient, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${BLOB_LOCKS}::int, hashtext(${key}))`;
}

/**
 * Takes the blobs' locks for the rest of the transaction `tx`, then answers whether the store still
 * holds every one of them: false when a deletion took them after they were stored (retry the upload).
 */
export async function lockStoredBlobs(tx: Prisma.TransactionClient, keys: string[]): Promise<boolean> {
  const unique = [...new Set(keys)].sort(); // one order for everyone: two commits never wait on each other in a cycle
  for (const key of unique) await lockBlob(tx, key);
  for (const key of unique) if (!(await blobStore().has(key))) return false;
  return true;
}

export async function dropUnusedBlobs(keys: (string | null)[]): Promise<void> {
  for (const key of new Set(keys.filter((k): k is string => !!k))) {
    await db().$transaction(async (tx) => {
      await lockBlob(tx, key);
      const used = await tx.file.count({ where: { OR: [{ sha256: key }, { metadataSha256: key }] } });
      if (!used)
        await blobStore()
          .delete(key)
          .catch((err: unknown) => console.error(`wheelhouse: could not delete blob ${key}:`, err));
    });
  }
}

// Removes what crashed or killed processes leave in storage: temporary files no live upload owns
// (./temp-files.ts) and stored blobs no file row refers to (bytes are stored before their rows are
// committed, so a kill in between leaves them). Run at start-up and every hour by the server.
//
// Blobs are judged only once older than ORPHAN_BLOB_GRACE_MS, by one process at a time (an advisory
// lock), and each is deleted only if nobody stored it again since the listing: an upload in flight,
// whose rows are not committed yet, never loses its bytes.
import "server-only";
import pg from "pg";
import { ORPHAN_BLOB_GRACE_MS, type BlobStore } from "./blob-store";

// Any constant works; it only has to be the same in every Wheelhouse process.
const SWEEP_LOCK = 7_413_992_002;
const BATCH = 1000;

export interface SweepResult {
  temporary: number;
  /** null when another process was sweeping the store at the same time. */
  orphans: number | null;
}

async function dropUnreferenced(client: pg.Client, store: BlobStore, keys: string[], cutoff: Date): Promise<number> {
  const { rows } = await client.query<{ key: string }>(
    // char(64)[]: compared as the columns' own type, so their indexes answer.
    `SELECT k AS key FROM unnest($1::char(64)[]) AS k
      WHERE EXISTS (SELECT 1 FROM files WHERE sha256 = k) OR EXISTS (SELECT 1 FROM files WHERE metadata_sha256 = k)`,
    [keys],
  );
  const used = new Set(rows.map((r) => r.key));
  let deleted = 0;
  for (const key of keys) if (!used.has(key) && (await store.deleteIfStoredBefore(key, cutoff))) deleted++;
  return deleted;
}

export async function sweepStorage(store: BlobStore, databaseUrl: string, now = Date.now()): Promise<SweepResult> {
  const temporary = await store.temp.sweep(now);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [SWEEP_LOCK]);
    if (!rows[0]?.locked) return { temporary, orphans: null };
    const cutoff = new Date(now - ORPHAN_BLOB_GRACE_MS);
    let orphans = 0;
    let batch: string[] = [];
    for await (const blob of store.list()) {
      if (blob.stored > cutoff) continue;
      batch.push(blob.key);
      if (batch.length >= BATCH) {
        orphans += await dropUnreferenced(client, store, batch, cutoff);
        batch = [];
      }
    }
    if (batch.length) orphans += await dropUnreferenced(client, store, batch, cutoff);
    return { temporary, orphans };
  } finally {
    await client.end().catch(() => {});
  }
}

const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** Sweeps the configured store now (at start-up) and then every hour; returns a stop function. */
export function sweepPeriodically(store: BlobStore, databaseUrl: string): () => void {
  const run = () =>
    sweepStorage(store, databaseUrl).then(
      ({ temporary, orphans }) => {
        if (temporary || orphans) {
          console.log(
            `wheelhouse: storage sweep removed ${temporary} abandoned temporary file(s) ` +
              `and ${orphans ?? 0} stored file(s) no row refers to`,
          );
        }
      },
      (err: unknown) =>
        console.error(
          `wheelhouse: storage sweep failed (retried in an hour): ${err instanceof Error ? err.message : String(err)}`,
        ),
    );
  void run();
  const timer = setInterval(() => void run(), SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

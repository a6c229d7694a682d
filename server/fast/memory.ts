// The fast paths' in-memory caches: one byte budget (WHEELHOUSE_CACHE_MB) shared out between them,
// least recently used entries going first. Only bytes live here; whether they are still current
// is decided by PostgreSQL on every request (./freshness.ts), so processes never disagree.
import "server-only";
import { LRUCache } from "lru-cache";
import { config } from "@/lib/config";

/** A cache of `share` of the budget; entries are sized by `size` in bytes. */
export function byteCache<V extends object>(share: number, size: (value: V) => number): LRUCache<string, V> {
  const maxSize = Math.max(1, Math.floor(config().WHEELHOUSE_CACHE_MB * 1024 * 1024 * share));
  return new LRUCache<string, V>({ maxSize, sizeCalculation: (value) => Math.max(1, size(value)) });
}

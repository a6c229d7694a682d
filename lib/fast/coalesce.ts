// Request coalescing for the fast paths' freshness checks. Each cached answer must be confirmed
// against PostgreSQL on every request (another process may have just changed it), but one query per
// request caps the rate at what the database round trip allows. Instead, requests that arrive
// while a check is in flight wait for the next one, which then answers all of them at once with a
// single `= ANY($1)` query.
//
// Each batch starts on `setImmediate`, after Node has read every request that arrived in the same
// I/O poll, so requests that come together are answered together.
//
// Freshness is kept: every caller's answer comes from a query that *started after the caller
// asked*, so a change committed before a request arrived is always seen by that request.
import "server-only";

type Waiter<V> = { resolve: (value: V | undefined) => void; reject: (err: unknown) => void };

/** Wraps a batch lookup (keys → found values) into a per-key lookup that batches concurrent calls. */
export function coalesced<K, V>(fetchBatch: (keys: K[]) => Promise<Map<K, V>>): (key: K) => Promise<V | undefined> {
  let waiting = new Map<K, Waiter<V>[]>();
  let busy = false;

  async function drain(): Promise<void> {
    while (waiting.size) {
      await new Promise((resolve) => setImmediate(resolve));
      const batch = waiting;
      waiting = new Map();
      try {
        const found = await fetchBatch([...batch.keys()]);
        for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key));
      } catch (err) {
        for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
      }
    }
    busy = false;
  }

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      const list = waiting.get(key);
      if (list) list.push({ resolve, reject });
      else waiting.set(key, [{ resolve, reject }]);
      if (!busy) {
        busy = true;
        void drain();
      }
    });
}

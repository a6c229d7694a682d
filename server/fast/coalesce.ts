// Request coalescing for the fast paths' freshness checks. Each cached answer must be confirmed
// against PostgreSQL on every request (another process may have just changed it), but one query per
// request caps the rate at what the database round trip allows. Instead, requests that arrive
// together share one `= ANY($1)` query: a batch starts on `setImmediate`, after Node has read every
// request of the same I/O poll. A second batch may start while one is in flight, so the process
// keeps serving instead of idling through a round trip.
//
// Freshness is kept: every caller's answer comes from a query that *started after the caller
// asked*, so a change committed before a request arrived is always seen by that request.
import "server-only";

type Waiter<V> = { resolve: (value: V | undefined) => void; reject: (err: unknown) => void };

const MAX_BATCHES_IN_FLIGHT = 2;

/** Wraps a batch lookup (keys → found values) into a per-key lookup that batches concurrent calls. */
export function coalesced<K, V>(fetchBatch: (keys: K[]) => Promise<Map<K, V>>): (key: K) => Promise<V | undefined> {
  let waiting = new Map<K, Waiter<V>[]>();
  let scheduled = false;
  let inFlight = 0;

  function schedule(): void {
    if (scheduled || inFlight >= MAX_BATCHES_IN_FLIGHT || !waiting.size) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void run();
    });
  }

  async function run(): Promise<void> {
    const batch = waiting;
    waiting = new Map();
    inFlight++;
    try {
      const found = await fetchBatch([...batch.keys()]);
      for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key));
    } catch (err) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
    } finally {
      inFlight--;
      schedule();
    }
  }

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      const list = waiting.get(key);
      if (list) list.push({ resolve, reject });
      else waiting.set(key, [{ resolve, reject }]);
      schedule();
    });
}

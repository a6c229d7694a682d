// The fast paths' freshness checks are batched: concurrent lookups share one query, and a lookup
// made while a query is running waits for the next one, so it never gets an answer read before it asked.
import { describe, expect, it } from "vitest";
import { coalesced } from "@/server/fast/coalesce";

/** Lets the batch scheduled with setImmediate start. */
const nextBatch = () => new Promise((resolve) => setImmediate(resolve));

function controlledFetch() {
  const calls: {
    keys: string[];
    started: number;
    finish: (found: Record<string, number>) => void;
    fail: (err: Error) => void;
  }[] = [];
  let clock = 0;
  const fetchBatch = (keys: string[]) =>
    new Promise<Map<string, number>>((resolve, reject) => {
      calls.push({ keys, started: ++clock, finish: (found) => resolve(new Map(Object.entries(found))), fail: reject });
    });
  return { calls, fetchBatch, tick: () => ++clock };
}

describe("coalesced lookups", () => {
  it("answers concurrent lookups with one batch and leaves missing keys undefined", async () => {
    const { calls, fetchBatch } = controlledFetch();
    const lookup = coalesced(fetchBatch);
    const answers = Promise.all([lookup("a"), lookup("a"), lookup("b"), lookup("gone")]);
    await nextBatch();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.keys).toEqual(["a", "b", "gone"]);
    calls[0]!.finish({ a: 1, b: 2 });
    expect(await answers).toEqual([1, 1, 2, undefined]);
  });

  it("never answers a lookup from a query that started before it was asked", async () => {
    const { calls, fetchBatch, tick } = controlledFetch();
    const lookup = coalesced(fetchBatch);
    const first = lookup("p");
    await nextBatch();
    const askedAt = tick();
    const second = lookup("p");
    expect(calls).toHaveLength(1);
    calls[0]!.finish({ p: 1 });
    expect(await first).toBe(1);
    await nextBatch();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.started).toBeGreaterThan(askedAt);
    calls[1]!.finish({ p: 2 });
    expect(await second).toBe(2);
  });

  it("fails the waiters of a failed batch and keeps answering later ones", async () => {
    const { calls, fetchBatch } = controlledFetch();
    const lookup = coalesced(fetchBatch);
    const failing = lookup("x");
    await nextBatch();
    calls[0]!.fail(new Error("database went away"));
    await expect(failing).rejects.toThrow("database went away");
    const later = lookup("x");
    await nextBatch();
    calls[1]!.finish({ x: 7 });
    expect(await later).toBe(7);
  });
});

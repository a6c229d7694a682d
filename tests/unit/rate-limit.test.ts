import { describe, expect, it } from "vitest";
import { checkLimit, clearLimit, hitLimit, type Limit } from "@/lib/security/rate-limit";
import { suffix } from "./helpers";

// A namespace of its own per test, so parallel files and tests never share a counter.
const limit = (max = 3, windowSeconds = 60): Limit => ({ name: `test-${suffix()}`, max, windowSeconds });
const T0 = new Date("2030-01-01T12:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe("rate limits", () => {
  it("is not limited before any attempt", async () => {
    expect(await checkLimit(limit(), "alice", T0)).toEqual({ limited: false });
  });

  it("allows max attempts per window and refuses the next, with retryAt at the end of the window", async () => {
    const l = limit(3, 60);
    expect(await hitLimit(l, "alice", at(0))).toEqual({ limited: false });
    expect(await hitLimit(l, "alice", at(10))).toEqual({ limited: false });
    expect(await checkLimit(l, "alice", at(15))).toEqual({ limited: false });
    expect(await hitLimit(l, "alice", at(20))).toEqual({ limited: false });
    // The allowance is used up: checking says so, and the next attempt is refused.
    expect(await checkLimit(l, "alice", at(25))).toEqual({ limited: true, retryAt: at(60) });
    expect(await hitLimit(l, "alice", at(30))).toEqual({ limited: true, retryAt: at(60) });
    // Further hits keep it limited and do not push the window.
    expect(await hitLimit(l, "alice", at(40))).toEqual({ limited: true, retryAt: at(60) });
  });

  it("checkLimit does not count attempts", async () => {
    const l = limit(2, 60);
    for (let i = 0; i < 5; i++) await checkLimit(l, "bob", at(i));
    expect(await hitLimit(l, "bob", at(5))).toEqual({ limited: false });
  });

  it("resets once the window has passed", async () => {
    const l = limit(2, 60);
    await hitLimit(l, "carol", at(0));
    await hitLimit(l, "carol", at(1));
    expect((await checkLimit(l, "carol", at(59))).limited).toBe(true);
    expect(await checkLimit(l, "carol", at(60))).toEqual({ limited: false });
    // A hit after the window starts a new window with a count of one.
    expect(await hitLimit(l, "carol", at(61))).toEqual({ limited: false });
    expect(await hitLimit(l, "carol", at(62))).toEqual({ limited: false });
    expect(await hitLimit(l, "carol", at(63))).toEqual({ limited: true, retryAt: at(121) });
  });

  it("keeps keys independent: other subjects and other limits", async () => {
    const l = limit(1, 60);
    const other = limit(1, 60);
    await hitLimit(l, "dave", at(0));
    expect((await hitLimit(l, "dave", at(0))).limited).toBe(true);
    expect(await checkLimit(l, "erin", at(1))).toEqual({ limited: false });
    expect(await checkLimit(other, "dave", at(1))).toEqual({ limited: false });
    expect(await hitLimit(l, "erin", at(2))).toEqual({ limited: false });
    expect(await hitLimit(l, "erin", at(3))).toEqual({ limited: true, retryAt: at(62) });
  });

  it("treats subjects case-insensitively", async () => {
    const l = limit(3, 60);
    await hitLimit(l, "Frank", at(0));
    await hitLimit(l, "FRANK", at(1));
    await hitLimit(l, "frank", at(2));
    expect(await hitLimit(l, "frank", at(2))).toEqual({ limited: true, retryAt: at(60) });
    expect((await checkLimit(l, "fRaNk", at(3))).limited).toBe(true);
  });

  it("clearLimit forgets the attempts", async () => {
    const l = limit(2, 60);
    await hitLimit(l, "grace", at(0));
    await hitLimit(l, "grace", at(1));
    expect((await checkLimit(l, "grace", at(2))).limited).toBe(true);
    await clearLimit(l, "GRACE");
    expect(await checkLimit(l, "grace", at(3))).toEqual({ limited: false });
    expect(await hitLimit(l, "grace", at(4))).toEqual({ limited: false });
  });

  it("counts concurrent hits exactly", async () => {
    const l = limit(25, 600);
    const results = await Promise.all(Array.from({ length: 40 }, () => hitLimit(l, "heidi", at(0))));
    // Exactly 25 attempts are allowed, however they interleave; the other 15 are refused.
    expect(results.filter((r) => !r.limited)).toHaveLength(25);
    expect(results.filter((r) => r.limited)).toHaveLength(15);
    // Every hit was counted: the window is still the first one and still limited.
    expect(await hitLimit(l, "heidi", at(1))).toEqual({ limited: true, retryAt: at(600) });
  });
});

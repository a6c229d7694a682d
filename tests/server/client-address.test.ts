// Which address the app sees for a request, with and without trusted proxies (issue 9, item 6): a
// client can write anything into X-Forwarded-For, so only entries appended by trusted hops count.
import type http from "node:http";
import { afterEach, expect, test, vi } from "vitest";
import { clientAddress } from "@/server/client-address";

const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  }) as unknown as http.IncomingMessage;

test.each([
  // [trusted hops, socket peer, X-Forwarded-For, address the app sees]
  [0, "203.0.113.9", "1.2.3.4", "203.0.113.9"], // no proxy trusted: the header is ignored
  [0, "::ffff:203.0.113.9", undefined, "203.0.113.9"],
  [1, "10.0.0.2", "1.2.3.4", "1.2.3.4"], // one proxy: it appended the client's address
  [1, "10.0.0.2", "6.6.6.6, 198.51.100.7", "198.51.100.7"], // a forged left-most entry is not taken
  [1, "10.0.0.2", "6.6.6.6,198.51.100.7", "198.51.100.7"],
  [1, "10.0.0.2", undefined, "10.0.0.2"], // no header: the peer itself
  [2, "10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.1", "198.51.100.7"], // CDN then load balancer
  [2, "10.0.0.2", "198.51.100.7", "198.51.100.7"], // fewer entries than hops: the left-most there is
  [3, "10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.9, 10.0.0.1", "198.51.100.7"],
])("with %i trusted hop(s), peer %s and X-Forwarded-For %s the client is %s", (hops, peer, forwarded, expected) => {
  expect(clientAddress(request(peer, forwarded), hops)).toBe(expected);
});

afterEach(() => vi.unstubAllEnvs());

test.each([
  ["false", 0],
  ["true", 1],
  ["1", 1],
  ["yes", 1],
  ["2", 2],
  ["", 0],
])("TRUST_PROXY=%s means %i trusted hop(s)", async (value, hops) => {
  vi.stubEnv("TRUST_PROXY", value);
  vi.resetModules();
  const { config } = await import("@/lib/config");
  expect(config().TRUST_PROXY).toBe(hops);
});

test("a TRUST_PROXY that is neither a boolean nor a count stops start-up with a message", async () => {
  vi.stubEnv("TRUST_PROXY", "loopback");
  vi.resetModules();
  const { config } = await import("@/lib/config");
  expect(() => config()).toThrow(/TRUST_PROXY: true, false, or the number of proxies/);
});

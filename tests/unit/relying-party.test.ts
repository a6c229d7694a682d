// Where security keys are bound (the WebAuthn relying party) follows the public address; an IP
// address cannot be one, which the configuration says instead of failing in the browser.
import { afterEach, beforeEach, expect, test, vi } from "vitest";

beforeEach(() => {
  for (const name of ["WHEELHOUSE_URL", "HOST", "PORT"]) vi.stubEnv(name, "");
  vi.resetModules(); // config() keeps its first answer per process
});
afterEach(() => vi.unstubAllEnvs());

const load = async () => (await import("@/lib/config")).config();

test("by default the public address is localhost, which can hold security keys", async () => {
  vi.stubEnv("PORT", "8080");
  const cfg = await load();
  expect(cfg.HOST).toBe("127.0.0.1");
  expect(cfg.baseUrl).toBe("http://localhost:8080");
  expect(cfg.relyingParty).toEqual({ rpID: "localhost", origin: "http://localhost:8080" });
});

test("a named public address is the relying party", async () => {
  vi.stubEnv("WHEELHOUSE_URL", "https://pypi.example.com/");
  expect((await load()).relyingParty).toEqual({ rpID: "pypi.example.com", origin: "https://pypi.example.com" });
});

test.each(["http://192.168.1.5:3000", "http://[::1]:3000"])(
  "an IP address (%s) turns security keys off, with the reason",
  async (url) => {
    vi.stubEnv("WHEELHOUSE_URL", url);
    const rp = (await load()).relyingParty;
    expect(rp).toEqual({ unavailable: expect.stringContaining("is an IP address: set WHEELHOUSE_URL to a name") });
  },
);

test("a non-loopback listening address stays the default public address", async () => {
  vi.stubEnv("HOST", "10.0.0.7");
  const cfg = await load();
  expect(cfg.baseUrl).toBe("http://10.0.0.7:3000");
  expect(cfg.relyingParty).toHaveProperty("unavailable");
});

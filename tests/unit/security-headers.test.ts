// The security headers: what the policy allows, a fresh nonce for each response Next renders (in the
// form Next reads), and the script hashes that replace the nonce on pages served from memory.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getScriptNonceFromHeader } from "next/dist/server/app-render/get-script-nonce-from-header";
import {
  contentSecurityPolicy,
  keptPageScripts,
  securityHeaders,
  withSecurityHeaders,
} from "@/lib/http/security-headers";

const directives = (policy: string) =>
  new Map(
    policy
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
const sha256 = (text: string) => crypto.createHash("sha256").update(text, "utf8").digest("base64");

describe("the Content-Security-Policy", () => {
  it("lets scripts run only from this site plus the response's nonce; locks down plugins, base, framing, forms", () => {
    const policy = directives(contentSecurityPolicy({ nonce: "abc123" }));
    expect(policy.get("script-src")).toEqual(["'self'", "'nonce-abc123'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.get("default-src")).toEqual(["'self'"]);
  });

  it("allows hashed scripts by their hash, and no inline script at all when there are none", () => {
    expect(directives(contentSecurityPolicy({ sha256: ["AAA=", "BBB="] })).get("script-src")).toEqual([
      "'self'",
      "'sha256-AAA='",
      "'sha256-BBB='",
    ]);
    expect(directives(contentSecurityPolicy(null)).get("script-src")).toEqual(["'self'"]);
  });

  it("comes with the other hardening headers, and no HSTS on a plain-http server", () => {
    const headers = securityHeaders(null);
    const byName = new Map<string, string>();
    for (let i = 0; i < headers.length; i += 2) byName.set(headers[i]!, headers[i + 1]!);
    expect(byName.get("x-content-type-options")).toBe("nosniff");
    expect(byName.get("x-frame-options")).toBe("DENY");
    expect(byName.get("referrer-policy")).toBe("same-origin");
    expect(byName.get("content-security-policy")).toBe(contentSecurityPolicy(null));
    expect(byName.has("strict-transport-security")).toBe(false);
  });

  it("pins browsers to https only on a server whose public address is https", async () => {
    const original = process.env.WHEELHOUSE_URL;
    try {
      vi.resetModules();
      process.env.WHEELHOUSE_URL = "https://pypi.example.org";
      const { securityHeaders: behindHttps } = await import("@/lib/http/security-headers");
      const headers = behindHttps(null);
      expect(headers[headers.indexOf("strict-transport-security") + 1]).toBe("max-age=31536000");
    } finally {
      if (original === undefined) delete process.env.WHEELHOUSE_URL;
      else process.env.WHEELHOUSE_URL = original;
    }
  });
});

describe("responses from Next", () => {
  let server: http.Server;
  let url = "";
  beforeAll(async () => {
    // Stands in for Next: answers with the policy it was handed in the request.
    const proxy = withSecurityHeaders(async (req, res) => {
      res.end(String(req.headers["content-security-policy"]));
      return null;
    });
    server = http.createServer((req, res) => void proxy(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("carry a fresh nonce each, the same one Next is given to mark its scripts with", async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 3; i++) {
      // A client's own policy header must not choose the nonce.
      const res = await fetch(url, { headers: { "content-security-policy": "script-src 'nonce-chosen-by-client'" } });
      const policy = res.headers.get("content-security-policy")!;
      expect(await res.text()).toBe(policy);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      const nonce = getScriptNonceFromHeader(policy);
      expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
      nonces.push(nonce!);
    }
    expect(new Set(nonces).size).toBe(3);
  });
});

describe("pages kept in memory", () => {
  const policy = contentSecurityPolicy({ nonce: "N0nce" });
  const page = (scripts: string) =>
    Buffer.from(`<!DOCTYPE html><html><head>${scripts}</head><body><p>hi</p></body></html>`);

  it("allow by hash exactly the inline scripts that carried the render's nonce", () => {
    const html = page(
      `<script src="/_next/static/a.js" nonce="N0nce" async=""></script>` +
        `<script nonce="N0nce" id="_R_">self.__next_f=[]</script>` +
        `<script nonce="N0nce">self.__next_f.push([1,"x"])</script>` +
        // Slipped in without the nonce: must stay blocked.
        `<script>window.__pwned=1</script>` +
        `<script nonce="guessed">window.__pwned=2</script>`,
    );
    expect(keptPageScripts(html, policy)).toEqual({
      sha256: [sha256("self.__next_f=[]"), sha256('self.__next_f.push([1,"x"])')],
    });
  });

  it("hash a script as the browser parses it: line breaks as LF", () => {
    expect(keptPageScripts(page(`<script nonce="N0nce">a();\r\nb();\rc();</script>`), policy)).toEqual({
      sha256: [sha256("a();\nb();\nc();")],
    });
  });

  it("are not kept when the render had no nonce or too many scripts for one header", () => {
    expect(keptPageScripts(page(`<script>a()</script>`), contentSecurityPolicy(null))).toBeUndefined();
    expect(keptPageScripts(page(`<script nonce="N0nce">a()</script>`.repeat(41)), policy)).toBeUndefined();
    expect(keptPageScripts(page(""), policy)).toBeNull();
  });
});

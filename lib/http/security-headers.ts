// The security headers of Wheelhouse's responses, built in this one place: a Content-Security-Policy
// that lets scripts run only from this site plus either a fresh nonce per response (pages Next
// renders) or the hashes of a kept page's own scripts (pages served from memory, whose bytes are
// reused, so a nonce in them would be reused too), and the other hardening headers pypi.org sends.
import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { config } from "@/lib/config";

/** Which inline scripts a page may run besides this site's script files (null: none). */
export type InlineScripts = { nonce: string } | { sha256: readonly string[] } | null;

export function contentSecurityPolicy(inline: InlineScripts): string {
  const scripts =
    inline === null
      ? []
      : "nonce" in inline
        ? [`'nonce-${inline.nonce}'`]
        : inline.sha256.map((hash) => `'sha256-${hash}'`);
  return [
    "default-src 'self'",
    `script-src 'self' ${scripts.join(" ")}`.trimEnd(),
    // React and Next write style attributes (the route announcer, form islands); a style cannot run code.
    "style-src 'self' 'unsafe-inline'",
    // READMEs show images (badges, screenshots) from anywhere, as on pypi.org; the sanitizer allows http(s) only.
    "img-src 'self' https: http:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
}

let fixed: string[] | undefined;

/** Every response's headers besides the policy, flat ([name, value, …]). */
function fixedHeaders(): string[] {
  fixed ??= [
    "x-content-type-options",
    "nosniff",
    // Links out of a private index must not tell other sites which projects and pages exist.
    "referrer-policy",
    "same-origin",
    // frame-ancestors' predecessor, for browsers that predate it.
    "x-frame-options",
    "DENY",
    "cross-origin-opener-policy",
    "same-origin",
    "permissions-policy",
    "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    // Only a server reached over https may pin browsers to https (a plain-http one would lock them out).
    ...(config().baseUrl.startsWith("https://") ? ["strict-transport-security", "max-age=31536000"] : []),
  ];
  return fixed;
}

/** The security headers for a response allowing `inline` scripts, flat ([name, value, …]) as writeHead takes them. */
export function securityHeaders(inline: InlineScripts): string[] {
  return [...fixedHeaders(), "content-security-policy", contentSecurityPolicy(inline)];
}

/** Passes a request to Next, resolving with the body it sent when asked to keep it (server/backend.ts). */
type Proxy = (req: IncomingMessage, res: ServerResponse, keepBody?: boolean, body?: Buffer) => Promise<Buffer | null>;

/**
 * Wraps the proxy to Next so that every response it sends carries the security headers with a
 * fresh nonce. Next reads the nonce from the request's policy header and puts it on each script it
 * renders (every page is rendered per request: the root layout reads the session).
 */
export function withSecurityHeaders(proxy: Proxy): Proxy {
  return (req, res, keepBody, body) => {
    const policy = contentSecurityPolicy({ nonce: crypto.randomBytes(16).toString("base64url") });
    // Overwritten whatever the client sent: the nonce is the server's choice alone.
    req.headers["content-security-policy"] = policy;
    delete req.headers["content-security-policy-report-only"];
    const headers = fixedHeaders();
    for (let i = 0; i < headers.length; i += 2) res.setHeader(headers[i]!, headers[i + 1]!);
    res.setHeader("content-security-policy", policy);
    return proxy(req, res, keepBody, body);
  };
}

// Enough for any page Next renders (a project page has a handful); past it the header would outgrow
// what reverse proxies accept by default (nginx: 4-8 KB), so such a page is not kept.
const MAX_KEPT_SCRIPTS = 40;
const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/**
 * The inline scripts to allow when `html` is served again and again: by hash, those that carry the
 * nonce of `policy` (the one the page was rendered under), since that nonce must not be reused. A
 * script slipped into the page without the nonce stays blocked. Undefined when the page cannot be
 * kept this way.
 */
export function keptPageScripts(html: Buffer, policy: string): InlineScripts | undefined {
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  if (!nonce) return undefined;
  const hashes: string[] = [];
  for (const [, attributes, body] of html.toString("utf8").matchAll(SCRIPT)) {
    if (!attributes!.includes(`nonce="${nonce}"`) || /\ssrc\s*=/i.test(attributes!)) continue;
    // Browsers hash the script as parsed, and HTML parsing turns CR LF and lone CR into LF.
    hashes.push(crypto.createHash("sha256").update(body!.replace(/\r\n?/g, "\n"), "utf8").digest("base64"));
  }
  if (hashes.length > MAX_KEPT_SCRIPTS) return undefined;
  return hashes.length > 0 ? { sha256: hashes } : null;
}

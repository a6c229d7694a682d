// Which request targets (path and query) server/main.ts refuses before anything routes them: escapes
// that decode to a NUL byte or to bytes that are not UTF-8, anywhere, and a '%' that starts no escape
// in the path. Every path and query parameter ends up as text in a PostgreSQL query somewhere, and
// PostgreSQL refuses NUL and invalid UTF-8 (error 22021); `decodeURIComponent`, which the fast paths
// and Next use on path segments, throws on both a stray '%' and invalid UTF-8. Refusing them here,
// once, keeps every route family (fast paths and the app alike) from meeting them.
// Node's HTTP parser already refuses raw control characters and non-ASCII bytes in a request target.

import type { IncomingHttpHeaders } from "node:http";
// Next's own parser of the router-state header, so what it refuses here is what Next would choke on.
import * as routerState from "next/dist/server/app-render/parse-and-validate-flight-router-state.js";

const UTF8 = new TextDecoder("utf-8", { fatal: true });

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/**
 * The bytes a percent-encoded string stands for; null when `strict` and a '%' starts no escape.
 * Not strict, such a '%' stands for itself, as in URLSearchParams (a typed `?q=100%`).
 */
function percentDecode(text: string, strict: boolean): Uint8Array | null {
  const bytes = Buffer.from(text, "utf8");
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1]!) && isHex(bytes[i + 2]!)) {
      out[n++] = parseInt(String.fromCharCode(bytes[i + 1]!, bytes[i + 2]!), 16);
      i += 2;
    } else if (byte === 0x25 && strict) {
      return null;
    } else {
      out[n++] = byte;
    }
  }
  return out.subarray(0, n);
}

function textProblem(bytes: Uint8Array, part: string): string | null {
  if (bytes.includes(0)) return `Bad request: the URL's ${part} contains an escaped NUL byte (%00).`;
  try {
    UTF8.decode(bytes);
  } catch {
    return `Bad request: the URL's ${part} has %XX escapes that do not decode to UTF-8 text.`;
  }
  return null;
}

/** Why the server refuses this request target (400), or null when it is acceptable. */
export function requestTargetProblem(target: string): string | null {
  // The common case costs one scan: without escapes there is nothing to decode.
  if (!target.includes("%")) return null;
  const question = target.indexOf("?");
  const path = question < 0 ? target : target.slice(0, question);
  const query = question < 0 ? "" : target.slice(question + 1);
  const pathBytes = percentDecode(path, true);
  if (pathBytes === null)
    return "Bad request: the URL's path has a '%' that does not start a %XX escape (write '%25' for '%').";
  return textProblem(pathBytes, "path") ?? textProblem(percentDecode(query, false)!, "query");
}

/**
 * Why the server refuses this request (400), or null: its target, and the router-state header of
 * Next's client navigations, which Next answers with a 500 when it does not parse (checked here with
 * Next's own parser, so the two can never disagree).
 */
export function requestProblem(target: string, headers: IncomingHttpHeaders): string | null {
  const targetProblem = requestTargetProblem(target);
  if (targetProblem || headers["next-router-state-tree"] === undefined) return targetProblem;
  try {
    routerState.parseAndValidateFlightRouterState(headers["next-router-state-tree"]);
    return null;
  } catch {
    return "Bad request: the Next-Router-State-Tree header is not a router state this site sent.";
  }
}

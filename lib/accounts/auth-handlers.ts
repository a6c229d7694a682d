// Auth.js's own endpoints (session, CSRF, sign-out), with one correction: Auth.js answers a
// callback URL it cannot use, from the `callbackUrl` parameter or its callback-url cookie (both the
// client's to write), with a 500 "server configuration" error. Such a request gets a 400 here.
import "server-only";
import type { NextRequest } from "next/server";
import { parse } from "cookie";
import { handlers } from "./auth";

/** Auth.js's own test (its assert.ts): an absolute http(s) URL, or a path on this origin. */
function usableCallbackUrl(value: string, origin: string): boolean {
  try {
    return /^https?:/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

function badCallbackUrl(request: NextRequest): boolean {
  const origin = request.nextUrl.origin;
  const param = request.nextUrl.searchParams.get("callbackUrl");
  if (param && !usableCallbackUrl(param, origin)) return true;
  const cookies = parse(request.headers.get("cookie") ?? "");
  // `authjs.callback-url`, or `__Secure-authjs.callback-url` behind https.
  return Object.entries(cookies).some(([name, value]) => name.endsWith("authjs.callback-url") && !!value && !usableCallbackUrl(value, origin));
}

function guarded(handler: (request: NextRequest) => Promise<Response>) {
  return (request: NextRequest) =>
    badCallbackUrl(request)
      ? new Response("Bad request: the callback URL (parameter or cookie) is not a usable URL.\n", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } })
      : handler(request);
}

export const GET = guarded(handlers.GET);
export const POST = guarded(handlers.POST);

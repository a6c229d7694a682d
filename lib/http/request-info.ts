// Who is asking: the client IP (set by server/main.ts from the socket, never from the client) and user agent.
import "server-only";
import { headers } from "next/headers";
import { CLIENT_IP_HEADER } from "./client-ip";

export interface RequestInfo {
  ip: string | null;
  userAgent: string | null;
}

export function requestInfoFrom(h: Headers): RequestInfo {
  return {
    ip: h.get(CLIENT_IP_HEADER)?.slice(0, 64) ?? null,
    userAgent: h.get("user-agent")?.slice(0, 512) ?? null,
  };
}

/** For server components and server actions. */
export async function requestInfo(): Promise<RequestInfo> {
  return requestInfoFrom(await headers());
}

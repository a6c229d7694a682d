// The client's address as the app should see it. Behind proxies, X-Forwarded-For is a list each hop
// appends to, so only its right-most entries were written by proxies the operator runs; the
// left-most is whatever the client sent. `proxy-addr` walks the list from the right, trusting the
// socket's peer and then one entry per configured hop (as Express's numeric `trust proxy` does).
import type http from "node:http";
import proxyAddr from "proxy-addr";

/** `trustedHops` is TRUST_PROXY: how many proxies in front of Wheelhouse append to X-Forwarded-For. */
export function clientAddress(req: http.IncomingMessage, trustedHops: number): string {
  const address = trustedHops > 0 ? proxyAddr(req, (_addr, i) => i < trustedHops) : (req.socket.remoteAddress ?? "");
  return address.replace(/^::ffff:/, "") || "unknown";
}

// "Firefox 140 on Linux" from a user-agent string, for session lists and the security history.
import Bowser from "bowser";

export function describeUserAgent(ua: string | null | undefined): string {
  if (!ua) return "Unknown client";
  const parsed = Bowser.parse(ua);
  const browser = parsed.browser.name
    ? `${parsed.browser.name}${parsed.browser.version ? ` ${parsed.browser.version.split(".")[0]}` : ""}`
    : ua.split(/[\s/]/)[0] || "Unknown client";
  const os = parsed.os.name ? ` on ${parsed.os.name}` : "";
  return `${browser}${os}`;
}

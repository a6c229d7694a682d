// "Firefox 140 on Linux" from a user-agent string, for session lists and the security history.
import Bowser from "bowser";

export function describeUserAgent(ua: string | null | undefined): string {
  if (!ua) return "Unknown client";
  // Not a product token list ("admin command line", a test's name): already a description.
  if (!ua.includes("/")) return ua.slice(0, 100);
  const parsed = Bowser.parse(ua);
  const browser = parsed.browser.name
    ? `${parsed.browser.name}${parsed.browser.version ? ` ${parsed.browser.version.split(".")[0]}` : ""}`
    : ua.split(/[\s/]/)[0] || "Unknown client";
  const os = parsed.os.name ? ` on ${parsed.os.name}` : "";
  return `${browser}${os}`;
}

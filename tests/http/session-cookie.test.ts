// Reading the session token from a Cookie header, which the client may garble in any way.
import { describe, expect, it } from "vitest";
import { sessionTokenFrom } from "@/lib/accounts/session-cookie";
import { randomToken } from "@/lib/security/tokens";

describe("sessionTokenFrom", () => {
  const token = randomToken(32);

  it("finds the token among other cookies", () => {
    expect(sessionTokenFrom(`theme=dark; wheelhouse_session=${token}; other=1`)).toBe(token);
    expect(sessionTokenFrom(`wheelhouse_session=${token}`)).toBe(token);
  });

  it.each([
    null,
    undefined,
    "",
    "theme=dark",
    // The probe's header: an escape cut short, on which decodeURIComponent throws.
    "wheelhouse_session=%E0%A4%A",
    "wheelhouse_session=%00",
    "wheelhouse_session=",
    "wheelhouse_session",
    ";;;=;=",
    `wheelhouse_session=${token}x`,
    `wheelhouse_session="${token.slice(1)}`,
    `xwheelhouse_session=${token}`,
  ])("reads no session, without throwing, from %j", (header) => {
    expect(sessionTokenFrom(header)).toBeNull();
  });
});

// /_includes/current-user answered by the edge (server/fast/current-user.ts): the username of a
// signed-in session only, by the session rules pages use (expiry, revocation, the 2FA stage), and
// never kept by anyone on the way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createUser } from "@/lib/accounts/users";
import { revokeUserSessions } from "@/lib/accounts/sessions";
import { SESSION_COOKIE } from "@/lib/accounts/session-cookie";
import { sha256Hex } from "@/lib/security/tokens";
import { serveCurrentUser } from "@/server/fast/current-user";
import { createSession, requestInfo, STRONG_PASSWORD, uniqueIdentity, withTempDataDir } from "../unit/helpers";
import { rawRequest, serveFastPath, type FastPathServer } from "../support/fast-path";

withTempDataDir();

let server: FastPathServer;
beforeAll(async () => {
  server = await serveFastPath(serveCurrentUser);
});
afterAll(() => server.close());

async function include(cookie?: string, method = "GET") {
  const answer = await rawRequest(`${server.url}/_includes/current-user`, {
    method,
    headers: cookie ? { cookie } : {},
  });
  return { ...answer, body: answer.body.toString("utf8") };
}

async function newUser() {
  const r = await createUser({ ...uniqueIdentity("inc"), password: STRONG_PASSWORD, verified: true }, null);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.user;
}

const cookieFor = (token: string) => `theme=dark; ${SESSION_COOKIE}=${token}`;

describe("/_includes/current-user at the edge", () => {
  it("names the signed-in user, privately, with the security headers", async () => {
    const user = await newUser();
    const token = await createSession(user.id, "full", requestInfo());
    const answer = await include(cookieFor(token));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ username: user.username });
    expect(answer.headers["content-type"]).toBe("application/json");
    expect(answer.headers["cache-control"]).toBe("private, no-store");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answer.headers["content-security-policy"]).toContain("default-src 'self'");
  });

  it("names nobody without a cookie, with a garbled or unknown one, or for a session awaiting its 2FA", async () => {
    const user = await newUser();
    const pending = await createSession(user.id, "pending_2fa", requestInfo());
    for (const cookie of [undefined, `${SESSION_COOKIE}=%E0%A4%A`, cookieFor("x".repeat(43)), cookieFor(pending)])
      expect(JSON.parse((await include(cookie)).body)).toEqual({ username: null });
  });

  it("names nobody once the session is revoked or has expired, in the very next answer", async () => {
    const user = await newUser();
    const revoked = await createSession(user.id, "full", requestInfo());
    expect(JSON.parse((await include(cookieFor(revoked))).body)).toEqual({ username: user.username });
    await revokeUserSessions(user.id);
    expect(JSON.parse((await include(cookieFor(revoked))).body)).toEqual({ username: null });

    const expired = await createSession(user.id, "full", requestInfo());
    await db().session.update({ where: { idHash: sha256Hex(expired) }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(JSON.parse((await include(cookieFor(expired))).body)).toEqual({ username: null });
  });

  it("leaves other methods to Next", async () => {
    expect((await include(undefined, "POST")).status).toBe(404);
  });
});

import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createUser } from "@/lib/accounts/users";
import { PENDING_TTL_MS, resolveSession, revokeUserSessions } from "@/lib/accounts/sessions";
import { revokeSession } from "@/lib/accounts/signing-out";
import { createSession, requestInfo, STRONG_PASSWORD, sudoSession, uniqueIdentity } from "./helpers";

delete process.env.SESSION_IDLE_HOURS; // the 12-hour default

const HOUR = 3600 * 1000;
const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
const after = (base: Date, ms: number) => new Date(base.getTime() + ms);

async function newUser() {
  const id = uniqueIdentity("sess");
  const r = await createUser({ ...id, password: STRONG_PASSWORD, verified: true }, null);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.user;
}

describe("sessions", () => {
  let user: Awaited<ReturnType<typeof newUser>>;
  let other: Awaited<ReturnType<typeof newUser>>;
  beforeAll(async () => {
    [user, other] = await Promise.all([newUser(), newUser()]);
  });

  it("stores only the sha256 of the token", async () => {
    const token = await createSession(user.id, "full", requestInfo());
    expect(token.length).toBeGreaterThanOrEqual(40);
    const rows = await db().$queryRaw<
      Record<string, unknown>[]
    >`SELECT * FROM sessions WHERE user_id = ${user.id}::uuid`;
    const hashes = rows.map((r) => r.id_hash);
    expect(hashes).toContain(sha256(token));
    // The raw token appears nowhere in the table.
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(token);
  });

  it("gives every session a different token", async () => {
    const tokens = await Promise.all(Array.from({ length: 5 }, () => createSession(user.id, "full", requestInfo())));
    expect(new Set(tokens).size).toBe(5);
  });

  it("resolves a token to its user and stage", async () => {
    const info = requestInfo();
    const token = await createSession(user.id, "full", info);
    const s = await resolveSession(token);
    expect(s).not.toBeNull();
    expect(s!.stage).toBe("full");
    expect(s!.idHash).toBe(sha256(token));
    expect(s!.user).toEqual({
      id: user.id,
      username: user.username,
      email: user.email,
      emailVerified: true,
      twoFactorEnabled: false,
    });
    const row = await db().session.findUniqueOrThrow({ where: { idHash: sha256(token) } });
    expect(row.ip).toBe(info.ip);
    expect(row.userAgent).toBe("vitest");
  });

  it.each([undefined, null, "", "nope", "x".repeat(101)])("resolves an unknown token (%j) to null", async (token) => {
    expect(await resolveSession(token)).toBeNull();
  });

  it("does not accept the stored hash as a token", async () => {
    const token = await createSession(user.id, "full", requestInfo());
    expect(await resolveSession(sha256(token))).toBeNull();
  });

  it("expires a pending_2fa session after five minutes, even if used", async () => {
    const t0 = new Date();
    const token = await createSession(user.id, "pending_2fa", requestInfo(), t0);
    expect(PENDING_TTL_MS).toBe(5 * 60 * 1000);
    expect((await resolveSession(token, after(t0, 2 * 60 * 1000)))?.stage).toBe("pending_2fa");
    expect((await resolveSession(token, after(t0, 4 * 60 * 1000 + 59_000)))?.stage).toBe("pending_2fa");
    expect(await resolveSession(token, after(t0, 5 * 60 * 1000))).toBeNull();
    // Gone for good: the row was deleted, so even an earlier clock does not bring it back.
    expect(await resolveSession(token, t0)).toBeNull();
    expect(await db().session.count({ where: { idHash: sha256(token) } })).toBe(0);
  });

  it("expires a full session after 12 idle hours", async () => {
    const t0 = new Date();
    const a = await createSession(user.id, "full", requestInfo(), t0);
    const b = await createSession(user.id, "full", requestInfo(), t0);
    expect(await resolveSession(a, after(t0, 12 * HOUR - 1000))).not.toBeNull();
    expect(await resolveSession(b, after(t0, 12 * HOUR))).toBeNull();
  });

  it("extends a full session each time it is used", async () => {
    const t0 = new Date();
    const token = await createSession(user.id, "full", requestInfo(), t0);
    expect(await resolveSession(token, after(t0, 10 * HOUR))).not.toBeNull();
    expect(await resolveSession(token, after(t0, 20 * HOUR))).not.toBeNull();
    expect(await resolveSession(token, after(t0, 31 * HOUR))).not.toBeNull();
    // 12 idle hours after the last use it ends.
    expect(await resolveSession(token, after(t0, 43 * HOUR))).toBeNull();
  });

  it("revokeUserSessions ends every session of the user, and only theirs", async () => {
    const u = await newUser();
    const mine = await Promise.all([1, 2, 3].map(() => createSession(u.id, "full", requestInfo())));
    const theirs = await createSession(other.id, "full", requestInfo());
    expect(await revokeUserSessions(u.id)).toBe(3);
    for (const t of mine) expect(await resolveSession(t)).toBeNull();
    expect(await resolveSession(theirs)).not.toBeNull();
  });

  it("revokeUserSessions can keep the current session", async () => {
    const u = await newUser();
    const [keep, a, b] = await Promise.all([1, 2, 3].map(() => createSession(u.id, "full", requestInfo())));
    expect(await revokeUserSessions(u.id, { exceptIdHash: sha256(keep!) })).toBe(2);
    expect(await resolveSession(keep)).not.toBeNull();
    expect(await resolveSession(a)).toBeNull();
    expect(await resolveSession(b)).toBeNull();
  });

  it("revokeSession ends the user's own session", async () => {
    const token = await createSession(user.id, "full", requestInfo());
    const mine = await sudoSession(user.id);
    expect(await revokeSession(mine, sha256(token), requestInfo())).toEqual({ ok: true });
    expect(await resolveSession(token)).toBeNull();
    expect(await revokeSession(mine, sha256(token), requestInfo())).toEqual({ ok: false, code: "session_ended" });
  });

  it("revokeSession cannot end another user's session", async () => {
    const theirs = await createSession(other.id, "full", requestInfo());
    expect(await revokeSession(await sudoSession(user.id), sha256(theirs), requestInfo())).toEqual({
      ok: false,
      code: "session_ended",
    });
    expect((await resolveSession(theirs))?.user.id).toBe(other.id);
  });
});

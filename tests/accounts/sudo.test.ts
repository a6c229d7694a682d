// Sudo mode (lib/accounts/sudo.ts) and its enforcement by the action wrapper (lib/http/action.ts):
// a sensitive action runs only within 15 minutes of a fresh confirmation on the same session. The
// request context (cookie, headers) is the only thing stood in for; sessions live in PostgreSQL.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { resolveSession, type ActiveSession } from "@/lib/accounts/sessions";
import { enterSudo } from "@/lib/accounts/sudo";
import { inSudoMode, SUDO_TTL_MS } from "@/lib/accounts/current";
import { SESSION_COOKIE } from "@/lib/accounts/session-cookie";
import { userAction } from "@/lib/http/action";
import { messageFor } from "@/lib/errors";
import { createSession, mailTo, requestInfo, STRONG_PASSWORD, withTempDataDir } from "../unit/helpers";
import { after, codeAt, enrolledUser, verifiedUser, wrongCodeAt } from "./support";

// The cookie the "browser" sends with the next server action.
const request = vi.hoisted(() => ({ cookie: undefined as string | undefined }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) =>
      name === "wheelhouse_session" && request.cookie ? { name, value: request.cookie } : undefined,
  }),
  headers: async () => new Headers({ "user-agent": "vitest" }),
}));

const dataDir = withTempDataDir();
const MINUTE = 60_000;

async function signedIn(userId: string, stage: "full" | "pending_2fa" = "full") {
  const token = await createSession(userId, stage, requestInfo());
  return { token, session: (await resolveSession(token))! };
}

/** The session as the next request sees it. */
const reread = async (token: string) => (await resolveSession(token))!;

describe("entering sudo mode", () => {
  it("opens a 15-minute window on this session after the right password", async () => {
    const user = await verifiedUser("sudo");
    const { token, session } = await signedIn(user.id);
    const now = new Date();
    expect(await enterSudo(session, STRONG_PASSWORD, "", requestInfo(), now)).toEqual({ ok: true });
    const fresh = await reread(token);
    expect(fresh.sudoUntil).toEqual(after(now, SUDO_TTL_MS));
    expect(inSudoMode(fresh, after(now, 15 * MINUTE - 1))).toBe(true);
    expect(inSudoMode(fresh, after(now, 15 * MINUTE))).toBe(false);
    expect(await db().securityEvent.count({ where: { userId: user.id, tag: "account:sudo-entered" } })).toBe(1);
  });

  it("refuses a wrong password and leaves the session outside sudo mode", async () => {
    const user = await verifiedUser("sudo");
    const { token, session } = await signedIn(user.id);
    expect(await enterSudo(session, "not my password at all", "", requestInfo())).toEqual({
      ok: false,
      code: "wrong_password",
      field: "password",
    });
    expect((await reread(token)).sudoUntil).toBeNull();
  });

  it("needs the second factor too when 2FA is on", async () => {
    const t0 = new Date();
    const { user, secret } = await enrolledUser(t0, "sudo");
    const { token, session } = await signedIn(user.id);
    const t1 = after(t0, 30_000);
    expect(await enterSudo(session, STRONG_PASSWORD, "", requestInfo(), t1)).toMatchObject({
      ok: false,
      field: "code",
    });
    expect(await enterSudo(session, STRONG_PASSWORD, await wrongCodeAt(secret, t1), requestInfo(), t1)).toMatchObject({
      ok: false,
      field: "code",
    });
    expect((await reread(token)).sudoUntil).toBeNull();
    // The right code without the right password opens nothing either.
    expect(
      await enterSudo(session, "not my password at all", await codeAt(secret, t1), requestInfo(), t1),
    ).toMatchObject({ ok: false, code: "wrong_password" });
    expect((await reread(token)).sudoUntil).toBeNull();
    expect(await enterSudo(session, STRONG_PASSWORD, await codeAt(secret, t1), requestInfo(), t1)).toEqual({
      ok: true,
    });
    expect(inSudoMode(await reread(token), t1)).toBe(true);
  });

  it("applies to the confirming session only, not to the user's other sessions", async () => {
    const user = await verifiedUser("sudo");
    const mine = await signedIn(user.id);
    const other = await signedIn(user.id);
    expect(await enterSudo(mine.session, STRONG_PASSWORD, "", requestInfo())).toEqual({ ok: true });
    expect(inSudoMode(await reread(mine.token))).toBe(true);
    expect(inSudoMode(await reread(other.token))).toBe(false);
  });

  it("never puts a session that is still waiting for its second factor into sudo mode", async () => {
    const { user } = await enrolledUser(new Date(), "sudo");
    const { token, session } = await signedIn(user.id, "pending_2fa");
    await enterSudo(session, STRONG_PASSWORD, "", requestInfo());
    expect((await reread(token)).sudoUntil).toBeNull();
  });

  it("refuses even the right password after 10 wrong ones in 15 minutes", async () => {
    const user = await verifiedUser("sudo");
    const { token, session } = await signedIn(user.id);
    const t0 = new Date();
    for (let i = 0; i < 10; i++) {
      expect(await enterSudo(session, `wrong guess ${i}`, "", requestInfo(), after(t0, i))).toMatchObject({
        ok: false,
        code: "wrong_password",
      });
    }
    expect(await enterSudo(session, STRONG_PASSWORD, "", requestInfo(), after(t0, 100))).toEqual({
      ok: false,
      code: "rate_limited",
      field: "form",
      retryAt: after(t0, 15 * MINUTE),
    });
    expect((await reread(token)).sudoUntil).toBeNull();
    expect(await enterSudo(session, STRONG_PASSWORD, "", requestInfo(), after(t0, 15 * MINUTE))).toEqual({ ok: true });
  });

  it("emails the account once per sitting, not on every confirmation", async () => {
    const user = await verifiedUser("sudo");
    const { token, session } = await signedIn(user.id);
    const t0 = new Date();
    const notices = async () =>
      (await mailTo(dataDir, user.email)).filter((m) => /confirmed your identity/.test(m.text)).length;
    expect(await enterSudo(session, STRONG_PASSWORD, "", requestInfo(), t0)).toEqual({ ok: true });
    expect(await notices()).toBe(1);
    const t1 = after(t0, 20 * MINUTE);
    expect(await enterSudo(await reread(token), STRONG_PASSWORD, "", requestInfo(), t1)).toEqual({ ok: true });
    expect(await notices()).toBe(1);
    const t2 = after(t1, 61 * MINUTE);
    expect(await enterSudo(await reread(token), STRONG_PASSWORD, "", requestInfo(), t2)).toEqual({ ok: true });
    expect(await notices()).toBe(2);
  });
});

describe("userAction with { sudo: true }", () => {
  let ran: ActiveSession[] = [];
  const sensitive = userAction(
    z.object({ name: z.string() }),
    async (_input, { session }) => {
      ran.push(session);
      return { ok: true, message: "done" };
    },
    { sudo: true },
  );
  const form = () => {
    const f = new FormData();
    f.set("name", "release key");
    return f;
  };

  beforeEach(() => {
    ran = [];
    request.cookie = undefined;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("asks for a confirmation instead of running when the session has none", async () => {
    const user = await verifiedUser("sudo");
    request.cookie = (await signedIn(user.id)).token;
    expect(await sensitive({}, form())).toEqual({
      error: messageFor("sudo_required"),
      needsSudo: true,
      values: { name: "release key" },
    });
    expect(ran).toEqual([]);
  });

  it("runs within 15 minutes of a confirmation on the same session", async () => {
    const user = await verifiedUser("sudo");
    const { token, session } = await signedIn(user.id);
    expect(await enterSudo(session, STRONG_PASSWORD, "", requestInfo())).toEqual({ ok: true });
    request.cookie = token;
    expect(await sensitive({}, form())).toEqual({ ok: true, message: "done" });
    expect(ran.map((s) => s.user.id)).toEqual([user.id]);
  });

  it("refuses once the window has passed", async () => {
    const user = await verifiedUser("sudo");
    const { token, session } = await signedIn(user.id);
    expect(await enterSudo(session, STRONG_PASSWORD, "", requestInfo())).toEqual({ ok: true });
    request.cookie = token;
    // Only Date moves: PostgreSQL and every timer run as usual.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + SUDO_TTL_MS + 1000 });
    expect(await sensitive({}, form())).toMatchObject({ error: messageFor("sudo_required"), needsSudo: true });
    expect(ran).toEqual([]);
  });

  it("does not carry a confirmation over to another session of the same user", async () => {
    const user = await verifiedUser("sudo");
    const confirmed = await signedIn(user.id);
    expect(await enterSudo(confirmed.session, STRONG_PASSWORD, "", requestInfo())).toEqual({ ok: true });
    request.cookie = (await signedIn(user.id)).token;
    expect(await sensitive({}, form())).toMatchObject({ needsSudo: true });
    expect(ran).toEqual([]);
  });

  it("refuses a visitor with no session, or one still waiting for the second factor", async () => {
    expect(await sensitive({}, form())).toEqual({ error: messageFor("not_signed_in") });
    const { user } = await enrolledUser(new Date(), "sudo");
    request.cookie = (await signedIn(user.id, "pending_2fa")).token;
    expect(await sensitive({}, form())).toEqual({ error: messageFor("not_signed_in") });
    expect(ran).toEqual([]);
  });

  it("checks sudo before the form: a confirmation is asked for even when the input is invalid", async () => {
    const user = await verifiedUser("sudo");
    request.cookie = (await signedIn(user.id)).token;
    expect(await sensitive({}, new FormData())).toMatchObject({ needsSudo: true });
  });
});

// SESSION_COOKIE is spelled out in the mock (vi.mock is hoisted above imports): keep them in step.
it("the mocked cookie jar uses the real session cookie name", () => {
  expect(SESSION_COOKIE).toBe("wheelhouse_session");
});

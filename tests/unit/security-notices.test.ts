// What the security history and the security emails tell a user: which token, project or person,
// when (UTC, and in words), from which IP address and browser, and where to act.
import { describe, expect, it } from "vitest";
import { createUser } from "@/lib/accounts/users";
import { resolveSession } from "@/lib/accounts/sessions";
import { describeDetails } from "@/lib/accounts/events";
import { notifyUser } from "@/lib/accounts/notify";
import { enterSudo } from "@/lib/accounts/sudo";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { sendQueued } from "@/lib/email/outbox";
import { createSession, mailTo, requestInfo, STRONG_PASSWORD, uniqueIdentity, withTempDataDir } from "./helpers";

const dataDir = withTempDataDir();
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";

async function newUser() {
  const r = await createUser({ ...uniqueIdentity("note"), password: STRONG_PASSWORD, verified: true }, null);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.user;
}

describe("security history rows", () => {
  it.each([
    [{ name: "ci upload", scope: "projects", projects: "alpha, beta" }, "token “ci upload”, for alpha, beta"],
    [{ name: "laptop", scope: "all", projects: null }, "token “laptop”, for all projects"],
    [{ project: "alpha", user: "bob", role: "maintainer" }, "project alpha, person bob, as maintainer"],
    [
      { project: "alpha", user: "bob", from: "maintainer", to: "owner" },
      "project alpha, person bob, from maintainer, to owner",
    ],
    [{ project: "alpha", version: "1.0", reason: "broken wheel" }, "project alpha, version 1.0, reason: broken wheel"],
    [{ from: "old@example.com", to: "new@example.com" }, "from old@example.com, to new@example.com"],
    [{ count: 2, by: "admin" }, "2 session(s) signed out, by an administrator"],
    [{ reason: "password" }, "wrong password"],
    [{ secondFactor: "recovery_code" }, "with a recovery code"],
    [{ secondFactor: "totp" }, "with an authenticator app"],
    [{ secondFactor: "security_key" }, "with a security key"],
    [{ method: "security_key", sessionsRevoked: 1 }, "security key, 1 other session(s) signed out"],
  ])("describe %j as %j", (details, words) => {
    expect(describeDetails(details)).toBe(words);
  });

  it("has nothing to add for an event without details", () => {
    expect(describeDetails(null)).toBeNull();
    expect(describeDetails({ sessionsRevoked: 0 })).toBeNull();
  });
});

describe("security emails", () => {
  it("say what, when in UTC and in words, from which IP address and browser, and link to the page to act", async () => {
    const u = await newUser();
    const at = new Date("2026-11-30T21:05:09Z");
    const queued = await db().$transaction((tx) =>
      notifyUser(
        tx,
        u.id,
        "token:created",
        { name: "ci", scope: "all", projects: null },
        { info: { ip: "203.0.113.9", userAgent: FIREFOX }, at },
      ),
    );
    sendQueued(queued);
    const mail = (await mailTo(dataDir, u.email)).at(-1)!;
    expect(mail.subject).toBe('Wheelhouse security notice: an API token named "ci" was created');
    expect(mail.text).toContain("When: 2026-11-30 21:05:09 UTC (Monday, 30 November 2026 at 21:05 UTC)");
    expect(mail.text).toContain("From: IP address 203.0.113.9, Firefox 140 on Linux");
    expect(mail.text).toContain(`Review it or act: ${config().baseUrl}/account/tokens`);
  });

  it("send one email per sitting of sudo confirmations, and record each", async () => {
    const u = await newUser();
    const token = await createSession(u.id, "full", requestInfo());
    const sudoMails = async () =>
      (await mailTo(dataDir, u.email)).filter((m) => /confirmed your identity/.test(m.subject)).length;
    const now = new Date();
    expect(await enterSudo((await resolveSession(token))!, STRONG_PASSWORD, "", requestInfo(), now)).toEqual({
      ok: true,
    });
    expect(
      await enterSudo(
        (await resolveSession(token))!,
        STRONG_PASSWORD,
        "",
        requestInfo(),
        new Date(now.getTime() + 20 * 60_000),
      ),
    ).toEqual({ ok: true });
    expect(
      await enterSudo(
        (await resolveSession(token))!,
        STRONG_PASSWORD,
        "",
        requestInfo(),
        new Date(now.getTime() + 40 * 60_000),
      ),
    ).toEqual({ ok: true });
    expect(await sudoMails()).toBe(1);
    // A confirmation long after the last one is a new sitting; so is another session.
    expect(
      await enterSudo(
        (await resolveSession(token))!,
        STRONG_PASSWORD,
        "",
        requestInfo(),
        new Date(now.getTime() + 3 * 3600_000),
      ),
    ).toEqual({ ok: true });
    expect(await sudoMails()).toBe(2);
    const other = await createSession(u.id, "full", requestInfo());
    expect(await enterSudo((await resolveSession(other))!, STRONG_PASSWORD, "", requestInfo(), now)).toEqual({
      ok: true,
    });
    expect(await sudoMails()).toBe(3);
  });
});

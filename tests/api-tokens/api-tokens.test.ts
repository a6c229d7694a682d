// API tokens (lib/api-tokens/tokens.ts) and how uploads honour them (lib/upload/upload.ts): their
// shape and storage, who may hold one, expiry, revocation and per-project scope. Uploads go
// through handleUpload with the body as a stream, exactly as the route calls it.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { accountSelect, toAccount } from "@/lib/accounts/account";
import { disableTwoFactor } from "@/lib/accounts/two-factor";
import { authenticateToken, createApiToken, listApiTokens, revokeApiToken } from "@/lib/api-tokens/tokens";
import { createUser } from "@/lib/accounts/users";
import { decide } from "@/lib/authz/policy";
import { quote } from "@/lib/packaging/quote";
import { requestInfo, STRONG_PASSWORD, sudoSession, suffix, uniqueIdentity, withTempDataDir } from "../unit/helpers";
import { enrolledUser, verifiedUser, withHistoryRefused } from "../accounts/support";
import { person, publish, publishedProject } from "../projects/support";
import { deleteProject } from "@/lib/projects/manage";

withTempDataDir();

const account = async (userId: string) =>
  toAccount(await db().user.findUniqueOrThrow({ where: { id: userId }, select: accountSelect }));
const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
const DAY = 24 * 3600 * 1000;

async function tokenFor(userId: string, input: { projectIds?: string[] | null; expiresAt?: Date | null } = {}) {
  const r = await createApiToken(
    await sudoSession(userId),
    { name: `t-${suffix()}`, projectIds: input.projectIds ?? null, expiresAt: input.expiresAt ?? null },
    requestInfo(),
  );
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r;
}

/** What an upload of a new version of `name` answers; stored rows are checked by the callers. */
async function tryUpload(token: string, name: string, version: string) {
  try {
    await publish(token, name, version);
    return { status: 200 };
  } catch (err) {
    const m = /: (\d{3}) (.*)$/s.exec((err as Error).message);
    if (!m) throw err;
    return { status: Number(m[1]), message: m[2] };
  }
}

const releases = async (projectId: string) =>
  (await db().release.findMany({ where: { projectId }, select: { version: true }, orderBy: { version: "asc" } })).map(
    (r) => r.version,
  );

describe("creating a token", () => {
  it("commits with its history row and its email, or not at all", async () => {
    const { owner } = await publishedProject();
    const { email } = await db().user.findUniqueOrThrow({ where: { id: owner.id }, select: { email: true } });
    const tokenMails = () => db().mailOutbox.count({ where: { recipient: email, subject: { contains: "API token" } } });
    const tokens = () => db().apiToken.count({ where: { userId: owner.id } });
    const before = { mails: await tokenMails(), tokens: await tokens() };
    // The history refuses this one account's rows, as a failing write would.
    await withHistoryRefused(owner.id, () => tokenFor(owner.id));
    expect({ mails: await tokenMails(), tokens: await tokens() }).toEqual(before);

    await tokenFor(owner.id);
    expect({ mails: await tokenMails(), tokens: await tokens() }).toEqual({
      mails: before.mails + 1,
      tokens: before.tokens + 1,
    });
  });

  it("hands out a prefixed 256-bit token once and stores only its sha256 and a short prefix", async () => {
    const { owner } = await publishedProject();
    const { token, id } = await tokenFor(owner.id);
    expect(token).toMatch(/^wheelhouse-[A-Za-z0-9_-]{43}$/);
    const row = await db().apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).toBe(sha256(token));
    expect(row.prefix).toBe(token.slice(0, "wheelhouse-".length + 4));
    expect(JSON.stringify(row)).not.toContain(token.slice("wheelhouse-".length + 4));
    expect((await tokenFor(owner.id)).token).not.toBe(token);
  });

  it("is refused to an account whose email address is not verified", async () => {
    const created = await createUser({ ...uniqueIdentity("tok"), password: STRONG_PASSWORD }, null);
    if (!created.ok) throw new Error(JSON.stringify(created));
    const r = await createApiToken(
      await sudoSession(created.user.id),
      { name: "ci", projectIds: null, expiresAt: null },
      requestInfo(),
    );
    expect(r).toEqual({ ok: false, refused: "needs-verified-email" });
    expect(await db().apiToken.count({ where: { userId: created.user.id } })).toBe(0);
  });

  it("is refused to an account without two-factor authentication (the default policy)", async () => {
    const user = await verifiedUser("tok");
    const r = await createApiToken(
      await sudoSession(user.id),
      { name: "ci", projectIds: null, expiresAt: null },
      requestInfo(),
    );
    expect(r).toEqual({ ok: false, refused: "site-requires-2fa" });
    expect(await db().apiToken.count({ where: { userId: user.id } })).toBe(0);
  });

  it("is refused to a session that has not confirmed it is its user (a stolen cookie)", async () => {
    const { owner } = await publishedProject();
    const cookieOnly = { ...(await sudoSession(owner.id)), sudoUntil: null };
    const r = await createApiToken(cookieOnly, { name: "ci", projectIds: null, expiresAt: null }, requestInfo());
    expect(r).toEqual({ ok: false, refused: "needs-sudo" });
    expect(await db().apiToken.count({ where: { userId: owner.id } })).toBe(1);
  });

  it("can be scoped only to projects the user maintains, and not to none", async () => {
    const mine = await publishedProject();
    const theirs = await publishedProject();
    const me = await sudoSession(mine.owner.id);
    const refused = await createApiToken(
      me,
      { name: "x", projectIds: [mine.project.id, theirs.project.id], expiresAt: null },
      requestInfo(),
    );
    expect(refused).toEqual({ ok: false, message: "You can only scope a token to projects you maintain." });
    expect(await createApiToken(me, { name: "x", projectIds: [], expiresAt: null }, requestInfo())).toEqual({
      ok: false,
      message: "Choose at least one project, or scope the token to all projects.",
    });
    // Only the token publishedProject made exists.
    expect(await db().apiToken.count({ where: { userId: me.user.id } })).toBe(1);
  });
});

describe("authenticating a token", () => {
  it("accepts a live token and says which projects it covers", async () => {
    const { owner, project } = await publishedProject();
    const { token, id } = await tokenFor(owner.id, { projectIds: [project.id] });
    expect(await authenticateToken(token)).toMatchObject({
      ok: true,
      token: { id, allProjects: false, projectIds: [project.id], user: { id: owner.id } },
    });
  });

  it("says when a token expires, and the policy refuses it from that moment on", async () => {
    const { owner } = await publishedProject();
    const expiresAt = new Date(Date.now() + DAY);
    const { token } = await tokenFor(owner.id, { expiresAt });
    const check = await authenticateToken(token);
    if (!check.ok) throw new Error("a live token was refused");
    expect(check.token.expiresAt).toEqual(expiresAt);
    const publishing = (now: Date) =>
      decide("account:publish", {
        actor: { emailVerified: true, twoFactorEnabled: true, inSudo: false },
        site: { requireTwoFactor: true },
        token: check.token,
        now,
      });
    expect(publishing(new Date(expiresAt.getTime() - 1))).toEqual({ allowed: true });
    expect(publishing(expiresAt)).toEqual({ allowed: false, reason: "token-expired" });
  });

  it("refuses a revoked token; only its owner can revoke it", async () => {
    const { owner } = await publishedProject();
    const stranger = await person();
    const { token, id } = await tokenFor(owner.id);
    expect(await revokeApiToken(await account(stranger.id), id, requestInfo())).toBe(false);
    expect((await authenticateToken(token)).ok).toBe(true);
    expect(await revokeApiToken(await account(owner.id), id, requestInfo())).toBe(true);
    expect(await authenticateToken(token)).toEqual({ ok: false, reason: "invalid" });
    expect((await listApiTokens(owner.id)).map((t) => t.id)).not.toContain(id);
  });

  it("revokes once when revoked twice at the same moment: one history entry", async () => {
    const { owner } = await publishedProject();
    const { id } = await tokenFor(owner.id);
    const me = await account(owner.id);
    const results = await Promise.all([revokeApiToken(me, id, requestInfo()), revokeApiToken(me, id, requestInfo())]);
    expect(results.sort()).toEqual([false, true]);
    expect(await db().securityEvent.count({ where: { userId: owner.id, tag: "token:revoked" } })).toBe(1);
  });

  it.each([
    ["the stored hash", (t: string) => sha256(t)],
    ["the token with a changed character", (t: string) => t.slice(0, -1) + (t.endsWith("A") ? "B" : "A")],
    ["the token without its prefix", (t: string) => t.slice("wheelhouse-".length)],
    ["an empty string", () => ""],
  ])("refuses %s", async (_what, alter) => {
    const { owner } = await publishedProject();
    const { token } = await tokenFor(owner.id);
    expect(await authenticateToken(alter(token))).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("uploading with a token", () => {
  it("refuses a token scoped to another project of the same user, and stores nothing", async () => {
    const a = await publishedProject();
    const otherName = `other-${suffix()}`;
    await publish(a.token, otherName, "1.0");
    const b = await db().project.findUniqueOrThrow({
      where: { normalizedName: otherName },
      select: { id: true, name: true },
    });
    const { token } = await tokenFor(a.owner.id, { projectIds: [a.project.id] });
    expect(await tryUpload(token, b.name, "2.0")).toEqual({
      status: 403,
      message: `This API token is not scoped to project ${quote(b.name)}.`,
    });
    expect(await releases(b.id)).toEqual(["1.0"]);
    expect(await tryUpload(token, a.project.name, "2.0")).toEqual({ status: 200 });
  });

  it("refuses a project-scoped token creating a new project", async () => {
    const a = await publishedProject();
    const { token } = await tokenFor(a.owner.id, { projectIds: [a.project.id] });
    const name = `new-${suffix()}`;
    expect(await tryUpload(token, name, "1.0")).toEqual({
      status: 403,
      message: `This API token is scoped to specific projects and cannot create the new project ${quote(name)}.`,
    });
    expect(await db().project.count({ where: { normalizedName: name } })).toBe(0);
  });

  it("refuses a token whose projects were all deleted, for any project, and shows it as unusable", async () => {
    const a = await publishedProject();
    const { token, id } = await tokenFor(a.owner.id, { projectIds: [a.project.id] });
    expect(await deleteProject(a.project.id, a.project.name, a.owner)).toMatchObject({ ok: true });
    const gone =
      "This API token was scoped only to projects that have since been deleted, so it can no longer be used. " +
      "Revoke it and create a new one.";
    // Neither a new project (it never had "all projects") nor another project of its owner.
    const name = `new-${suffix()}`;
    expect(await tryUpload(token, name, "1.0")).toEqual({ status: 403, message: gone });
    expect(await db().project.count({ where: { normalizedName: name } })).toBe(0);
    const other = `other-${suffix()}`;
    await publish(a.token, other, "1.0");
    expect(await tryUpload(token, other, "2.0")).toEqual({ status: 403, message: gone });
    expect((await listApiTokens(a.owner.id)).find((t) => t.id === id)).toMatchObject({
      allProjects: false,
      projects: [],
      scopeGone: true,
    });
    expect((await listApiTokens(a.owner.id)).find((t) => t.id !== id)).toMatchObject({ scopeGone: false });
  });

  it("refuses an all-projects token on a project its user is not a member of", async () => {
    const a = await publishedProject();
    const other = await publishedProject();
    expect(await tryUpload(a.token, other.project.name, "2.0")).toMatchObject({
      status: 403,
      message: expect.stringMatching(/isn't allowed to upload to project/),
    });
    expect(await releases(other.project.id)).toEqual(["1.0"]);
  });

  it("refuses an expired token, naming the day it expired", async () => {
    const a = await publishedProject();
    const { token, id } = await tokenFor(a.owner.id, { expiresAt: new Date(Date.now() + DAY) });
    // Its day passes: the expiry is moved, not the clock.
    const expiredAt = new Date(Date.now() - 1000);
    await db().apiToken.update({ where: { id }, data: { expiresAt: expiredAt } });
    expect(await tryUpload(token, a.project.name, "2.0")).toEqual({
      status: 403,
      message: `This API token expired on ${expiredAt.toISOString().slice(0, 10)}. Create a new one.`,
    });
    expect(await releases(a.project.id)).toEqual(["1.0"]);
  });

  it("refuses a revoked token", async () => {
    const a = await publishedProject();
    const { token, id } = await tokenFor(a.owner.id);
    await revokeApiToken(await account(a.owner.id), id, requestInfo());
    expect(await tryUpload(token, a.project.name, "2.0")).toMatchObject({
      status: 403,
      message: expect.stringMatching(/^Invalid or non-existent API token/),
    });
    expect(await releases(a.project.id)).toEqual(["1.0"]);
  });

  it("refuses the token of a user who has since turned two-factor authentication off", async () => {
    const { user } = await enrolledUser(new Date(), "tok");
    const { token } = await tokenFor(user.id);
    const name = `tfa-${suffix()}`;
    expect(await tryUpload(token, name, "1.0")).toEqual({ status: 200 });
    expect(await disableTwoFactor(await sudoSession(user.id), requestInfo())).toEqual({ ok: true });
    const r = await tryUpload(token, name, "2.0");
    expect(r).toEqual({
      status: 403,
      message: expect.stringMatching(/cannot publish: .*requires two-factor authentication/),
    });
    const project = await db().project.findUniqueOrThrow({ where: { normalizedName: name }, select: { id: true } });
    expect(await releases(project.id)).toEqual(["1.0"]);
  });

  it("refuses the token of a user whose email address is no longer verified", async () => {
    const a = await publishedProject();
    await db().user.update({ where: { id: a.owner.id }, data: { emailVerifiedAt: null } });
    expect(await tryUpload(a.token, a.project.name, "2.0")).toEqual({
      status: 403,
      message: expect.stringMatching(/cannot publish: Verify your email address/),
    });
    expect(await releases(a.project.id)).toEqual(["1.0"]);
  });
});

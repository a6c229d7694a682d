import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import {
  changePassword,
  checkPassword,
  createUser,
  findUserById,
  requestEmailChange,
  sendEmailVerification,
  confirmEmailLink,
} from "@/lib/accounts/users";
import { resolveSession } from "@/lib/accounts/sessions";
import { confusableSkeleton } from "@/lib/packaging/names";
import fs from "node:fs";
import path from "node:path";
import {
  confirmedSession,
  createSession,
  latestVerifyToken,
  mailTo,
  requestInfo,
  STRONG_PASSWORD,
  sudoSession,
  suffix,
  uniqueIdentity,
  withTempDataDir,
} from "./helpers";

const dataDir = withTempDataDir();
const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

async function newUser(verified = false) {
  const id = uniqueIdentity("usr");
  const r = await createUser({ ...id, password: STRONG_PASSWORD, verified }, requestInfo());
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.user;
}

const tags = async (userId: string) =>
  (await db().securityEvent.findMany({ where: { userId }, orderBy: { id: "asc" } })).map((e) => e.tag);

describe("createUser", () => {
  it("creates an account with an argon2id hash and a security event", async () => {
    const id = uniqueIdentity("New");
    const info = requestInfo();
    const r = await createUser({ ...id, password: STRONG_PASSWORD }, info);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.user).toMatchObject({
      username: id.username,
      email: id.email,
      emailVerified: false,
      twoFactorEnabled: false,
    });
    expect(Object.keys(r.user)).not.toContain("passwordHash");

    const row = await db().user.findUniqueOrThrow({ where: { id: r.user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain(STRONG_PASSWORD);
    expect(await checkPassword(r.user.id, STRONG_PASSWORD)).toBe(true);
    expect(await checkPassword(r.user.id, STRONG_PASSWORD + "x")).toBe(false);

    const events = await db().securityEvent.findMany({ where: { userId: r.user.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ tag: "account:created", ip: info.ip, userAgent: "vitest" });
  });

  it("marks the email verified when asked (admin-created accounts)", async () => {
    const u = await newUser(true);
    expect(u.emailVerified).toBe(true);
  });

  it("refuses a username that differs only in case", async () => {
    const id = uniqueIdentity("Case");
    expect((await createUser({ ...id, password: STRONG_PASSWORD }, null)).ok).toBe(true);
    const r = await createUser(
      { username: id.username.toUpperCase(), email: `other.${id.email}`, password: STRONG_PASSWORD },
      null,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors?.username).toMatch(/already taken/);
    expect(r.fieldErrors?.email).toBeUndefined();
  });

  it("refuses an email address another account has verified, in any case", async () => {
    const id = uniqueIdentity("mail");
    expect((await createUser({ ...id, password: STRONG_PASSWORD, verified: true }, null)).ok).toBe(true);
    const r = await createUser(
      { username: `${id.username}-2`, email: id.email.toUpperCase(), password: STRONG_PASSWORD },
      null,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors?.email).toMatch(/already used/);
    expect(r.fieldErrors?.username).toBeUndefined();
  });

  it("refuses a weak password and creates nothing", async () => {
    const id = uniqueIdentity("weak");
    const r = await createUser({ ...id, password: "password1" }, null);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors?.password).toBeTruthy();
    expect(await db().user.count({ where: { usernameKey: id.username.toLowerCase() } })).toBe(0);
  });

  it("refuses a password made from the username", async () => {
    const s = crypto.randomBytes(3).toString("hex");
    const username = `quokkazanzibar${s}`;
    const r = await createUser({ username, email: `${username}@example.com`, password: `${username}1` }, null);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors?.password).toBeTruthy();
  });
});

describe("look-alike usernames", () => {
  // Each pair reads alike: l/I/i/1, o/0, rn/m, vv/w, and separators.
  it.each([
    ["alice-l", "alice-I"],
    ["alice-l", "alice-1"],
    ["maria", "rnaria"],
    ["bob0", "bobo"],
    ["will", "vviII"],
    ["foo-bar", "foo_bar"],
    ["foo.bar", "foobar"],
  ])("refuses %j next to %j", async (first, second) => {
    const s = suffix();
    const a = await createUser(
      { username: `${first}${s}`, email: `a.${s}@example.com`, password: STRONG_PASSWORD },
      null,
    );
    expect(a.ok).toBe(true);
    const b = await createUser(
      { username: `${second}${s}`, email: `b.${s}@example.com`, password: STRONG_PASSWORD },
      null,
    );
    expect(b).toEqual({
      ok: false,
      fieldErrors: { username: expect.stringMatching(/reads too much like an existing one/) },
    });
    expect(await db().user.count({ where: { email: `b.${s}@example.com` } })).toBe(0);
  });

  it("accepts names that only share letters", async () => {
    const s = suffix();
    for (const name of [`mario${s}`, `marta${s}`, `maria-b${s}`]) {
      expect(
        (await createUser({ username: name, email: `${name}@example.com`, password: STRONG_PASSWORD }, null)).ok,
      ).toBe(true);
    }
  });

  it("lets only one of two simultaneous look-alike sign-ups through", async () => {
    const s = suffix();
    const results = await Promise.all(
      [`rnallory${s}`, `mallory${s}`, `MALL0RY${s}`].map((username, i) =>
        createUser({ username, email: `race${i}.${s}@example.com`, password: STRONG_PASSWORD }, null),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it.each(["_account_identities", "_lookalike_keys"])(
    "the SQL backfill of migration %s computes the same skeleton as confusableSkeleton",
    async (suffixOf) => {
      const dir = path.resolve(import.meta.dirname, "../../prisma/migrations");
      const migration = fs.readdirSync(dir).find((d) => d.endsWith(suffixOf))!;
      const sql = fs.readFileSync(path.join(dir, migration, "migration.sql"), "utf8");
      const expression = /(replace\(replace\(translate\(.*\)) AS skeleton/
        .exec(sql)![1]!
        .replace(/lower\(name\)/, "lower(username)");
      const names = [
        "Alice-I",
        "rnaria",
        "vvill",
        "Foo.Bar_baz",
        "O0o-lLiI1",
        "rnrn--vvv",
        "a",
        "x.y-z_w",
        "MiXeD.Case-99",
      ];
      for (const username of names) {
        const [row] = await db().$queryRawUnsafe<{ skeleton: string }[]>(
          `SELECT ${expression} AS skeleton FROM (SELECT $1::text AS username) AS t`,
          username,
        );
        expect(row!.skeleton, username).toBe(confusableSkeleton(username));
      }
    },
  );
});

describe("email verification", () => {
  it("verifies the address once, through the emailed link", async () => {
    const u = await newUser();
    await sendEmailVerification(u.id, u.email);
    const mail = (await mailTo(dataDir, u.email)).at(-1)!;
    expect(mail.subject).toMatch(/Verify your email/);
    const token = await latestVerifyToken(dataDir, u.email);
    // Only the hash is stored.
    expect(await db().emailToken.count({ where: { tokenHash: sha256(token) } })).toBe(1);
    expect(await db().emailToken.count({ where: { tokenHash: token } })).toBe(0);

    expect(await confirmEmailLink(token, u.id, requestInfo())).toEqual({ ok: true, email: u.email, changed: false });
    expect((await findUserById(u.id))!.emailVerified).toBe(true);
    expect(await tags(u.id)).toContain("account:email-verified");

    // Single use.
    expect(await confirmEmailLink(token, u.id, requestInfo())).toEqual({ ok: false, code: "link_invalid" });
  });

  it("refuses a link after 24 hours, and it stays dead", async () => {
    const u = await newUser();
    await sendEmailVerification(u.id, u.email);
    const token = await latestVerifyToken(dataDir, u.email);
    const later = new Date(Date.now() + 24 * 3600 * 1000 + 60_000);
    expect(await confirmEmailLink(token, u.id, requestInfo(), later)).toEqual({ ok: false, code: "link_invalid" });
    expect(await confirmEmailLink(token, u.id, requestInfo())).toEqual({ ok: false, code: "link_invalid" });
    expect((await findUserById(u.id))!.emailVerified).toBe(false);
  });

  it.each(["", "garbage", "x".repeat(200)])("refuses a made-up token %j", async (token) => {
    const u = await newUser();
    expect(await confirmEmailLink(token, u.id, requestInfo())).toEqual({ ok: false, code: "link_invalid" });
  });
});

describe("email change", () => {
  it("switches the address only when the link sent to the new one is followed", async () => {
    const u = await newUser(true);
    const newEmail = `changed.${crypto.randomBytes(4).toString("hex")}@example.com`;
    expect(await requestEmailChange(await sudoSession(u.id), newEmail, requestInfo())).toEqual({ ok: true });

    // The old address is told; the new address gets the link; nothing changed yet.
    const notices = await mailTo(dataDir, u.email);
    expect(notices.some((m) => m.subject.includes("being changed") && m.text.includes(newEmail))).toBe(true);
    expect((await findUserById(u.id))!.email).toBe(u.email);

    const token = await latestVerifyToken(dataDir, newEmail);
    expect(await confirmEmailLink(token, u.id, requestInfo())).toEqual({ ok: true, email: newEmail, changed: true });
    const after = (await findUserById(u.id))!;
    expect(after.email).toBe(newEmail);
    expect(after.emailVerified).toBe(true);
    expect(await tags(u.id)).toEqual(
      expect.arrayContaining(["account:email-change-requested", "account:email-changed"]),
    );

    // The old address is free again, the new one is taken.
    const taken = await createUser(
      { username: `${u.username}-b`, email: newEmail.toUpperCase(), password: STRONG_PASSWORD },
      null,
    );
    expect(taken.ok).toBe(false);
    const freed = await createUser({ username: `${u.username}-c`, email: u.email, password: STRONG_PASSWORD }, null);
    expect(freed.ok).toBe(true);
  });

  it("refuses the current address, in any case", async () => {
    const u = await newUser(true);
    const r = await requestEmailChange(await sudoSession(u.id), u.email.toUpperCase(), requestInfo());
    expect(r).toEqual({ ok: false, fieldErrors: { email: "This is already your email address." } });
  });

  it("refuses an address used by another account", async () => {
    const [a, b] = await Promise.all([newUser(true), newUser(true)]);
    const r = await requestEmailChange(await sudoSession(a.id), b.email.toUpperCase(), requestInfo());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors?.email).toMatch(/already used/);
    expect(await mailTo(dataDir, b.email)).toHaveLength(0);
  });

  it("refuses the link if the address was taken meanwhile", async () => {
    const a = await newUser(true);
    const wanted = `wanted.${crypto.randomBytes(4).toString("hex")}@example.com`;
    expect((await requestEmailChange(await sudoSession(a.id), wanted, requestInfo())).ok).toBe(true);
    const token = await latestVerifyToken(dataDir, wanted);
    const b = await createUser(
      { ...uniqueIdentity("thief"), email: wanted, password: STRONG_PASSWORD, verified: true },
      null,
    );
    expect(b.ok).toBe(true);
    expect(await confirmEmailLink(token, a.id, requestInfo())).toEqual({ ok: false, code: "email_taken" });
    expect((await findUserById(a.id))!.email).toBe(a.email);
  });

  it("older links stop working once one is used", async () => {
    const u = await newUser(false);
    const newEmail = `second.${crypto.randomBytes(4).toString("hex")}@example.com`;
    await sendEmailVerification(u.id, u.email);
    expect((await requestEmailChange(await sudoSession(u.id), newEmail, requestInfo())).ok).toBe(true);
    const oldLink = await latestVerifyToken(dataDir, u.email);
    const newLink = await latestVerifyToken(dataDir, newEmail);
    expect((await confirmEmailLink(newLink, u.id, requestInfo())).ok).toBe(true);
    expect(await confirmEmailLink(oldLink, u.id, requestInfo())).toEqual({ ok: false, code: "link_invalid" });
    expect((await findUserById(u.id))!.email).toBe(newEmail);
  });
});

describe("changePassword", () => {
  it("sets the new password, keeps the given session and ends the others", async () => {
    const u = await newUser(true);
    const { session, token: current } = await confirmedSession(u.id);
    const [other1, other2] = await Promise.all([1, 2].map(() => createSession(u.id, "full", requestInfo())));
    const newPassword = "a different long passphrase 42?";
    expect(await changePassword(session, newPassword, requestInfo())).toEqual({ ok: true });

    expect(await checkPassword(u.id, newPassword)).toBe(true);
    expect(await checkPassword(u.id, STRONG_PASSWORD)).toBe(false);
    expect(await resolveSession(current)).not.toBeNull();
    expect(await resolveSession(other1)).toBeNull();
    expect(await resolveSession(other2)).toBeNull();

    const event = await db().securityEvent.findFirstOrThrow({
      where: { userId: u.id, tag: "account:password-changed" },
    });
    expect(event.details).toEqual({ sessionsRevoked: 2 });
    expect((await mailTo(dataDir, u.email)).some((m) => /password was changed/.test(m.subject))).toBe(true);
  });

  it("refuses a weak password and changes nothing", async () => {
    const u = await newUser(true);
    const { session, token } = await confirmedSession(u.id);
    const r = await changePassword(session, "12345678", requestInfo());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors?.newPassword).toBeTruthy();
    expect(await checkPassword(u.id, STRONG_PASSWORD)).toBe(true);
    expect(await resolveSession(token)).not.toBeNull();
  });
});

// The event catalogue (lib/events/catalogue.ts): every change has one name, a label on both history
// pages and, when it emails, a subject; rows stored under a former name keep their label.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { EVENTS_PER_PAGE, listEvents, recordEvent } from "@/lib/accounts/events";
import { requestedPage } from "@/lib/events/history";
import { emails } from "@/lib/email/templates";
import { EVENTS, labelOf, noticeOf, type DetailsOf, type EventName } from "@/lib/events/catalogue";
import { listProjectEvents, setYanked } from "@/lib/projects/manage";
import { mailTo, withTempDataDir } from "../unit/helpers";
import { publishedProject } from "../projects/support";

const dataDir = withTempDataDir();

/** Details as the code records them, one entry per event: the type makes this table complete. */
const SAMPLES: { [N in EventName]: DetailsOf<N> } = {
  "account:created": {},
  "account:email-verified": { email: "a@example.com" },
  "account:email-change-requested": { to: "new@example.com" },
  "account:email-changed": { from: "a@example.com", to: "new@example.com" },
  "account:password-changed": { sessionsRevoked: 2 },
  "account:login-success": { secondFactor: "totp" },
  "account:login-failure": { reason: "password" },
  "account:logout": {},
  "account:sessions-revoked": { count: 3 },
  "account:password-reset-requested": {},
  "account:password-reset-completed": { sessionsRevoked: 1 },
  "account:sudo-entered": {},
  "account:passkey-login": { name: "laptop" },
  "account:deleted": {},
  "2fa:enabled": { method: "totp", sessionsRevoked: 1 },
  "2fa:disabled": { sessionsRevoked: 0 },
  "2fa:failure": { reason: "invalid_code" },
  "2fa:recovery-code-used": { remaining: 7 },
  "2fa:recovery-codes-regenerated": {},
  "2fa:admin-reset": { reason: "lost phone", sessionsRevoked: 2 },
  "2fa:app-added": {},
  "2fa:app-removed": {},
  "2fa:key-added": { name: "YubiKey", passkey: true },
  "2fa:key-removed": { name: "YubiKey" },
  "2fa:key-renamed": { from: "YubiKey", to: "Work key" },
  "2fa:key-new-browser": { name: "YubiKey", browser: "Firefox" },
  "2fa:key-clone-suspected": { name: "YubiKey", counter: 3, expectedAbove: 9 },
  "token:created": { name: "ci", scope: "projects", projects: "alpha" },
  "token:revoked": { name: "ci" },
  "project:created": {},
  "file:uploaded": { filename: "alpha-1.0-py3-none-any.whl" },
  "project:readmes-rerendered": { releases: 2 },
  "release:yanked": { project: "alpha", version: "1.0", reason: "broken" },
  "release:unyanked": { project: "alpha", version: "1.0" },
  "release:deleted": { project: "alpha", version: "1.0", files: 2 },
  "file:deleted": { project: "alpha", filename: "alpha-1.0.tar.gz", version: "1.0" },
  "role:invited": { project: "alpha", user: "bob", role: "maintainer" },
  "role:invitation-revoked": { project: "alpha", user: "bob" },
  "role:accepted": { project: "alpha", user: "bob", role: "maintainer" },
  "role:declined": { project: "alpha", user: "bob", role: "maintainer" },
  "role:changed": { project: "alpha", user: "bob", from: "maintainer", to: "owner" },
  "role:removed": { project: "alpha", user: "bob", role: "maintainer" },
  "project:settings-changed": { project: "alpha", requireTwoFactor: true },
  "project:deleted": { project: "alpha", releases: 1, files: 2 },
};

const names = Object.keys(EVENTS) as EventName[];
const circumstances = {
  at: new Date("2026-12-01T04:00:00Z"),
  info: { ip: "203.0.113.9", userAgent: "vitest" },
  act: "/account/history",
};

const sampleNotice = <N extends EventName>(name: N) => noticeOf(name, SAMPLES[name]);

/** The subject of the email `name` sends, or null: the same template the code uses. */
function subjectOf(name: EventName): string | null {
  const notice = sampleNotice(name);
  if (!notice) return null;
  return EVENTS[name].scope === "project"
    ? emails.projectNotice("a@example.com", "alice", "alpha", notice, "alice", circumstances).subject
    : emails.securityNotice("a@example.com", "alice", notice, circumstances).subject;
}

describe("the event catalogue", () => {
  it.each(names)("gives %s a label of its own", (name) => {
    const label = labelOf(name);
    expect(label).not.toBe(name);
    expect(names.filter((other) => labelOf(other) === label)).toEqual([name]);
  });

  it.each(names.filter((n) => EVENTS[n].notice))(
    "gives %s an email subject that says what happened, and a page to act on",
    (name) => {
      const subject = subjectOf(name)!;
      expect(subject).toMatch(
        EVENTS[name].scope === "project" ? /^Wheelhouse project alpha: \S/ : /^Wheelhouse security notice: \S/,
      );
      expect(subject).not.toMatch(/undefined|null|\[object/);
      expect(sampleNotice(name)!.act).toMatch(/^\/[a-z]/);
    },
  );

  it("emails every change a user would want to hear of, and nothing routine", () => {
    const silent = names.filter((n) => !EVENTS[n].notice);
    expect(silent.sort()).toEqual(
      [
        "account:created",
        "account:email-verified",
        // account:email-changed mails the address the account left (lib/accounts/users.ts).
        "account:login-success",
        "account:login-failure",
        "account:logout",
        "account:password-reset-requested",
        "2fa:failure",
        "project:created",
        "file:uploaded",
        "project:readmes-rerendered",
      ].sort(),
    );
  });
});

describe("rows stored before the catalogue", () => {
  const migration = fs.readFileSync(
    path.join(
      import.meta.dirname,
      "../../prisma/migrations",
      fs
        .readdirSync(path.join(import.meta.dirname, "../../prisma/migrations"))
        .find((d) => d.endsWith("_one_event_vocabulary"))!,
      "migration.sql",
    ),
    "utf8",
  );
  const former = names.flatMap((n) => {
    const was = (EVENTS[n] as { formerly?: string }).formerly;
    return was ? [[was, n] as const] : [];
  });

  it("renames exactly the former names the catalogue knows", () => {
    const renamed = [...migration.matchAll(/WHEN '([^']+)' THEN '([^']+)'/g)].map((m) => [m[1], m[2]]);
    expect(renamed.sort()).toEqual(former.map(([was, now]) => [was, now]).sort());
  });

  it("keep their label and details in the security history, before and after the migration renames them", async () => {
    const { owner } = await publishedProject(["1.0"]);
    for (const [was] of former) {
      await db().securityEvent.create({
        data: { userId: owner.id, tag: was, details: { project: "alpha", version: "0.9" } },
      });
    }
    const labels = async () =>
      Object.fromEntries((await listEvents(owner.id)).events.map((e) => [e.tag, [e.label, e.summary]]));
    const before = await labels();
    for (const [was, now] of former) expect(before[was]).toEqual([EVENTS[now].label, "project alpha, version 0.9"]);

    await db().$executeRawUnsafe(migration);
    const after = await labels();
    for (const [was, now] of former) {
      expect(after[was]).toBeUndefined();
      expect(after[now]).toEqual([EVENTS[now].label, "project alpha, version 0.9"]);
    }
  });
});

describe("one name for one change", () => {
  it("writes a yank to journal and security history under one tag and label, and emails the owners", async () => {
    const { project, owner } = await publishedProject(["1.0"]);
    expect(await setYanked(project.id, "1.0", true, "broken build", owner)).toMatchObject({ ok: true });
    const journal = (await listProjectEvents(project.id)).events[0]!;
    const history = (await listEvents(owner.id)).events.find((e) => e.details?.project === project.name)!;
    expect([journal.tag, journal.label]).toEqual(["release:yanked", "Release yanked"]);
    expect([history.tag, history.label]).toEqual(["release:yanked", "Release yanked"]);
    const account = await db().user.findUniqueOrThrow({ where: { id: owner.id }, select: { email: true } });
    const mail = (await mailTo(dataDir, account.email)).find((m) => m.subject.includes(project.name))!;
    expect(mail.subject).toBe(
      `Wheelhouse project ${project.name}: Release 1.0 of ${project.name} was yanked: broken build`,
    );
    expect(mail.text).toContain(`Release 1.0 of ${project.name} was yanked: broken build (by ${owner.username}).`);
  });

  it("sends an account event's email from its catalogue entry, unless told an earlier one already did", async () => {
    const { owner } = await publishedProject(["1.0"]);
    const account = await db().user.findUniqueOrThrow({ where: { id: owner.id }, select: { email: true } });
    const count = async () =>
      (await mailTo(dataDir, account.email)).filter((m) => /regenerated/.test(m.subject)).length;
    await recordEvent(owner.id, "2fa:recovery-codes-regenerated", owner.info);
    expect(await count()).toBe(1);
    await recordEvent(owner.id, "2fa:recovery-codes-regenerated", owner.info, {}, { mail: false });
    expect(await count()).toBe(1);
    expect((await listEvents(owner.id)).events.filter((e) => e.tag === "2fa:recovery-codes-regenerated")).toHaveLength(
      2,
    );
  });
});

describe("paging through a history", () => {
  it.each([
    [undefined, 1],
    ["2", 2],
    ["0", 1],
    ["-3", 1],
    ["1.5", 1],
    ["abc", 1],
    ["99999", 99999],
    ["100000", 1],
    [["2", "3"], 1],
  ])("reads ?page=%j as page %j", (value, page) => {
    expect(requestedPage(value)).toBe(page);
  });

  it("shows a page of the newest events and says whether older ones follow", async () => {
    const { owner } = await publishedProject(["1.0"]);
    const before = await db().securityEvent.count({ where: { userId: owner.id } });
    for (let i = before; i < EVENTS_PER_PAGE + 1; i++) await recordEvent(owner.id, "account:logout", owner.info);
    const first = await listEvents(owner.id, 1);
    const second = await listEvents(owner.id, 2);
    expect([first.events.length, first.hasMore]).toEqual([EVENTS_PER_PAGE, true]);
    expect([second.events.length, second.hasMore]).toEqual([1, false]);
    expect(BigInt(first.events.at(-1)!.id)).toBeGreaterThan(BigInt(second.events[0]!.id));
  });
});

// Project management rules (lib/projects/manage.ts) against the real database: who may change
// what, and that a project never loses its last owner, even when owners act at the same moment.
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import {
  changeRole,
  deleteFile,
  deleteRelease,
  invite,
  removeCollaborator,
  respondToInvitation,
  setRequireTwoFactor,
  setYanked,
} from "@/lib/projects/manage";
import { withTempDataDir } from "../unit/helpers";
import { addMember, person, publishedProject, rolesOf, wheelFilename } from "./support";

withTempDataDir();

const KEEP_AN_OWNER = "A project must keep at least one owner: add another owner first.";

/** Everything an owner-only operation could have changed. */
async function snapshot(projectId: string) {
  const project = await db().project.findUniqueOrThrow({
    where: { id: projectId },
    select: {
      lastSerial: true,
      requireTwoFactor: true,
      releases: { select: { version: true, yanked: true, files: { select: { filename: true } } } },
    },
  });
  return {
    ...project,
    roles: await rolesOf(projectId),
    invitations: await db().roleInvitation.count({ where: { projectId } }),
  };
}

describe("owner-only operations", () => {
  it("refuses every owner-only operation to a maintainer and changes nothing", async () => {
    const { project, owner } = await publishedProject(["1.0"]);
    const maintainer = await person();
    const bystander = await person();
    await addMember(project.id, owner, maintainer, "maintainer");
    const before = await snapshot(project.id);

    const attempts = [
      setYanked(project.id, "1.0", true, "broken", maintainer),
      deleteRelease(project.id, "1.0", "1.0", maintainer),
      deleteFile(project.id, wheelFilename(project.name, "1.0"), wheelFilename(project.name, "1.0"), maintainer),
      invite(project.id, bystander.username, "owner", maintainer),
      changeRole(project.id, maintainer.username, "owner", maintainer),
      changeRole(project.id, owner.username, "maintainer", maintainer),
      removeCollaborator(project.id, owner.username, maintainer),
      setRequireTwoFactor(project.id, true, maintainer),
    ];
    for (const result of await Promise.all(attempts))
      expect(result).toEqual({ ok: false, refused: "not-owner", project: project.name });
    expect(await snapshot(project.id)).toEqual(before);
  });

  it("refuses someone who is not a member at all", async () => {
    const { project } = await publishedProject(["1.0"]);
    const stranger = await person();
    const before = await snapshot(project.id);
    expect(await setYanked(project.id, "1.0", true, "", stranger)).toEqual({
      ok: false,
      refused: "not-member",
      project: project.name,
    });
    expect(await deleteRelease(project.id, "1.0", "1.0", stranger)).toEqual({
      ok: false,
      refused: "not-member",
      project: project.name,
    });
    expect(await snapshot(project.id)).toEqual(before);
  });

  it("refuses an owner without two-factor authentication", async () => {
    const { project, owner } = await publishedProject(["1.0"]);
    const before = await snapshot(project.id);
    const without2fa = { ...owner, twoFactorEnabled: false };
    expect(await deleteRelease(project.id, "1.0", "1.0", without2fa)).toEqual({
      ok: false,
      refused: "needs-2fa",
      project: project.name,
    });
    expect(await snapshot(project.id)).toEqual(before);
  });

  it("lets an owner yank a release, and records it in the journal with a new serial", async () => {
    const { project, owner } = await publishedProject(["1.0"]);
    const before = await snapshot(project.id);
    expect((await setYanked(project.id, "1.0", true, "broken build", owner)).ok).toBe(true);
    const after = await snapshot(project.id);
    expect(after.releases).toEqual([
      { version: "1.0", yanked: true, files: [{ filename: wheelFilename(project.name, "1.0") }] },
    ]);
    expect(after.lastSerial).toBeGreaterThan(before.lastSerial);
    const event = await db().projectEvent.findFirstOrThrow({
      where: { projectId: project.id },
      orderBy: { id: "desc" },
    });
    expect(event).toMatchObject({
      id: after.lastSerial,
      tag: "release:yanked",
      actorId: owner.id,
      details: { version: "1.0", reason: "broken build", by: owner.username },
    });
  });

  it("deletes a release only when the version is typed to confirm it", async () => {
    const { project, owner } = await publishedProject(["1.0"]);
    expect(await deleteRelease(project.id, "1.0", "1.1", owner)).toEqual({
      ok: false,
      message: "Type the version, 1.0, to confirm the deletion.",
    });
    expect((await snapshot(project.id)).releases).toHaveLength(1);
    expect((await deleteRelease(project.id, "1.0", " 1.0 ", owner)).ok).toBe(true);
    expect((await snapshot(project.id)).releases).toEqual([]);
  });
});

describe("keeping an owner", () => {
  it("refuses to demote the only owner, or to let them leave", async () => {
    const { project, owner } = await publishedProject();
    const maintainer = await person();
    await addMember(project.id, owner, maintainer, "maintainer");
    expect(await changeRole(project.id, owner.username, "maintainer", owner)).toEqual({
      ok: false,
      message: KEEP_AN_OWNER,
    });
    expect(await removeCollaborator(project.id, owner.username, owner)).toEqual({ ok: false, message: KEEP_AN_OWNER });
    expect(await rolesOf(project.id)).toEqual({ [owner.username]: "owner", [maintainer.username]: "maintainer" });
  });

  it("lets an owner step down once there is another owner", async () => {
    const { project, owner } = await publishedProject();
    const second = await person();
    await addMember(project.id, owner, second, "owner");
    expect((await changeRole(project.id, owner.username, "maintainer", owner)).ok).toBe(true);
    expect(await rolesOf(project.id)).toEqual({ [owner.username]: "maintainer", [second.username]: "owner" });
  });

  it("lets anyone leave, but a maintainer cannot remove someone else", async () => {
    const { project, owner } = await publishedProject();
    const [a, b] = await Promise.all([person(), person()]);
    await addMember(project.id, owner, a, "maintainer");
    await addMember(project.id, owner, b, "maintainer");
    expect(await removeCollaborator(project.id, b.username, a)).toEqual({
      ok: false,
      refused: "not-owner",
      project: project.name,
    });
    expect(await removeCollaborator(project.id, a.username, a)).toEqual({
      ok: true,
      message: `You left ${project.name}.`,
    });
    expect(await rolesOf(project.id)).toEqual({ [owner.username]: "owner", [b.username]: "maintainer" });
  });

  // Each round is a fresh project whose two owners act at once; several rounds run in parallel so
  // that the two transactions really overlap in PostgreSQL.
  const ROUNDS = 6;

  it("keeps one owner when two owners demote each other at the same moment", async () => {
    const rounds = await Promise.all(
      Array.from({ length: ROUNDS }, async () => {
        const { project, owner: a } = await publishedProject();
        const b = await person();
        await addMember(project.id, a, b, "owner");
        const results = await Promise.all([
          changeRole(project.id, b.username, "maintainer", a),
          changeRole(project.id, a.username, "maintainer", b),
        ]);
        return { results, roles: await rolesOf(project.id) };
      }),
    );
    for (const { results, roles } of rounds) {
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, message: KEEP_AN_OWNER }]);
      expect(Object.values(roles).sort()).toEqual(["maintainer", "owner"]);
    }
  });

  it("keeps one owner when two owners remove each other at the same moment", async () => {
    const rounds = await Promise.all(
      Array.from({ length: ROUNDS }, async () => {
        const { project, owner: a } = await publishedProject();
        const b = await person();
        await addMember(project.id, a, b, "owner");
        const results = await Promise.all([
          removeCollaborator(project.id, b.username, a),
          removeCollaborator(project.id, a.username, b),
        ]);
        return { results, roles: await rolesOf(project.id) };
      }),
    );
    for (const { results, roles } of rounds) {
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(Object.values(roles)).toEqual(["owner"]);
    }
  });

  it("keeps one owner when both owners leave at the same moment", async () => {
    const rounds = await Promise.all(
      Array.from({ length: ROUNDS }, async () => {
        const { project, owner: a } = await publishedProject();
        const b = await person();
        await addMember(project.id, a, b, "owner");
        const results = await Promise.all([
          removeCollaborator(project.id, a.username, a),
          removeCollaborator(project.id, b.username, b),
        ]);
        return { results, roles: await rolesOf(project.id) };
      }),
    );
    for (const { results, roles } of rounds) {
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(Object.values(roles)).toEqual(["owner"]);
    }
  });
});

describe("the same change submitted twice at once (a double click)", () => {
  it("accepts an invitation once and answers the second submission plainly", async () => {
    const { project, owner } = await publishedProject();
    const member = await person();
    expect((await invite(project.id, member.username, "maintainer", owner)).ok).toBe(true);
    const invitation = await db().roleInvitation.findFirstOrThrow({
      where: { projectId: project.id, inviteeId: member.id },
    });
    const results = await Promise.all([
      respondToInvitation(invitation.id, true, member),
      respondToInvitation(invitation.id, true, member),
    ]);
    expect(results).toEqual(
      expect.arrayContaining([
        { ok: true, message: `You are now maintainer of ${project.name}.` },
        { ok: false, message: "This invitation has expired or was withdrawn." },
      ]),
    );
    expect(await rolesOf(project.id)).toEqual({ [owner.username]: "owner", [member.username]: "maintainer" });
  });

  it("deletes a release once and answers the second submission plainly", async () => {
    const { project, owner } = await publishedProject(["1.0"]);
    const results = await Promise.all([
      deleteRelease(project.id, "1.0", "1.0", owner),
      deleteRelease(project.id, "1.0", "1.0", owner),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, message: "There is no release 1.0." }]);
    expect(await db().projectEvent.count({ where: { projectId: project.id, tag: "release:deleted" } })).toBe(1);
  });

  it("deletes a file once and answers the second submission plainly", async () => {
    const { project, owner } = await publishedProject(["1.0"]);
    const filename = wheelFilename(project.name, "1.0");
    const results = await Promise.all([
      deleteFile(project.id, filename, filename, owner),
      deleteFile(project.id, filename, filename, owner),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, message: `There is no file ${filename}.` }]);
    expect(await db().projectEvent.count({ where: { projectId: project.id, tag: "file:deleted" } })).toBe(1);
  });

  it("yanks a release once: the second submission changes nothing and writes no second entry", async () => {
    const { project, owner } = await publishedProject(["1.0"]);
    const results = await Promise.all([
      setYanked(project.id, "1.0", true, "", owner),
      setYanked(project.id, "1.0", true, "", owner),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, message: "1.0 is already yanked." }]);
    expect(await db().projectEvent.count({ where: { projectId: project.id, tag: "release:yanked" } })).toBe(1);
  });
});

describe("a collaborator changed by two requests at once", () => {
  it("removes a collaborator once and answers the second removal plainly", async () => {
    const { project, owner } = await publishedProject();
    const member = await person();
    await addMember(project.id, owner, member, "maintainer");
    const results = await Promise.all([
      removeCollaborator(project.id, member.username, owner),
      removeCollaborator(project.id, member.username, member),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, message: `${member.username} is not a collaborator.` }]);
    expect(await rolesOf(project.id)).toEqual({ [owner.username]: "owner" });
  });

  it("answers plainly when a collaborator leaves while their role is being changed", async () => {
    const { project, owner } = await publishedProject();
    const member = await person();
    await addMember(project.id, owner, member, "maintainer");
    const [promoted, left] = await Promise.all([
      changeRole(project.id, member.username, "owner", owner),
      removeCollaborator(project.id, member.username, member),
    ]);
    // Either may land first; neither throws, a refusal is plain, and the roles add up.
    const plain = [
      `${member.username} is no longer maintainer of ${project.name}.`,
      `${member.username} is not a collaborator.`,
    ];
    for (const r of [promoted, left]) if (!r.ok) expect(plain).toContain("message" in r ? r.message : r.refused);
    expect(left.ok || promoted.ok).toBe(true);
    const roles = await rolesOf(project.id);
    expect(roles[owner.username]).toBe("owner");
    expect(roles[member.username]).toBe(left.ok ? undefined : "owner");
  });
});

describe("a role that changes while a removal waits", () => {
  it("keeps an owner when a maintainer, promoted and left sole owner meanwhile, leaves", async () => {
    const { project, owner } = await publishedProject();
    const member = await person();
    await addMember(project.id, owner, member, "maintainer");
    // Another request holds the project's role rows: the member's departure reads their role
    // (maintainer), then waits for the lock. Meanwhile that request makes them the only owner.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT 1 FROM project_roles WHERE project_id = $1 FOR UPDATE", [project.id]);
      const leaving = removeCollaborator(project.id, member.username, member);
      // Wait until the departure is blocked on those rows (a condition, not a duration).
      for (;;) {
        // Inside a transaction the activity view is a snapshot: take a fresh one each time.
        await other.query("SELECT pg_stat_clear_snapshot()");
        const { rows } = await other.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() " +
            "AND wait_event_type = 'Lock' AND query LIKE '%project_roles%'",
        );
        if (rows[0].n > 0) break;
        await sleep(10);
      }
      await other.query("UPDATE project_roles SET role = 'owner' WHERE project_id = $1 AND user_id = $2", [
        project.id,
        member.id,
      ]);
      await other.query("DELETE FROM project_roles WHERE project_id = $1 AND user_id = $2", [project.id, owner.id]);
      await other.query("COMMIT");
      expect(await leaving).toEqual({ ok: false, message: KEEP_AN_OWNER });
    } finally {
      await other.end();
    }
    expect(await rolesOf(project.id)).toEqual({ [member.username]: "owner" });
  });
});

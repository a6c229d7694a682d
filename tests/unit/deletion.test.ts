// Deleting a project and deleting an account, against the real database: what goes, what stays
// (reserved names, filenames, journals), and the serial the /simple/ root reports never going back.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createUser } from "@/lib/accounts/users";
import { deleteAccount } from "@/lib/accounts/delete-account";
import { deleteProject, type Actor } from "@/lib/projects/manage";
import { recordProjectEvent } from "@/lib/projects/journal";
import { lastSerial } from "@/lib/index-api/queries";
import { mailTo, requestInfo, STRONG_PASSWORD, sudoSession, uniqueIdentity, withTempDataDir } from "./helpers";

const dataDir = withTempDataDir();

async function newUser() {
  const r = await createUser({ ...uniqueIdentity("del"), password: STRONG_PASSWORD, verified: true }, requestInfo());
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.user;
}

const actorOf = (u: { id: string; username: string }): Actor => ({
  id: u.id,
  username: u.username,
  emailVerified: true,
  twoFactorEnabled: true,
  inSudo: true,
  info: requestInfo(),
});

/** A project with one release and one file, owned by `owner`; its latest event has the highest serial yet. */
async function newProject(owner: { id: string }, extra: { userId: string; role: string }[] = []) {
  const name = `delproj-${crypto.randomBytes(4).toString("hex")}`;
  const project = await db().project.create({
    data: {
      name,
      normalizedName: name,
      confusableKey: name.replace(/-/g, ""),
      latestVersion: "1.0",
      roles: { create: [{ userId: owner.id, role: "owner" }, ...extra] },
    },
  });
  const release = await db().release.create({ data: { projectId: project.id, version: "1.0", canonicalVersion: "1" } });
  const filename = `${name.replace(/-/g, "_")}-1.0-py3-none-any.whl`;
  const digest = crypto.randomBytes(32).toString("hex");
  await db().file.create({
    data: {
      releaseId: release.id,
      projectId: project.id,
      filename,
      packagetype: "bdist_wheel",
      pythonVersion: "py3",
      size: 1n,
      sha256: digest,
      md5: digest.slice(0, 32),
      blake2b256: digest,
    },
  });
  await db().filenameRegistry.create({ data: { filename } });
  await db().$transaction((tx) =>
    recordProjectEvent(tx, project.id, "file:uploaded", { id: owner.id, ip: null }, { filename }),
  );
  return { ...project, filename };
}

describe("deleteProject", () => {
  it("asks for the exact name, removes the project, reserves its name and filenames, advances the serial", async () => {
    const owner = await newUser();
    const project = await newProject(owner);
    const before = await lastSerial();

    expect(await deleteProject(project.id, "something-else", actorOf(owner))).toMatchObject({
      ok: false,
      message: expect.stringContaining(`Type the project's name, ${project.name}`),
    });
    expect(await db().project.count({ where: { id: project.id } })).toBe(1);

    expect(await deleteProject(project.id, project.name.toUpperCase(), actorOf(owner))).toMatchObject({ ok: true });
    expect(await db().project.count({ where: { id: project.id } })).toBe(0);
    expect(await db().release.count({ where: { projectId: project.id } })).toBe(0);
    expect(
      await db().reservedProjectName.findUnique({ where: { normalizedName: project.normalizedName } }),
    ).toMatchObject({ name: project.name, deletedBy: owner.username });
    expect(await db().filenameRegistry.count({ where: { filename: project.filename } })).toBe(1);
    // This project held the highest serial: the root's serial still moves forward, never back.
    expect(await lastSerial()).toBeGreaterThan(before);
    expect((await db().securityEvent.findMany({ where: { userId: owner.id, tag: "project:deleted" } })).length).toBe(1);
    expect(
      (await mailTo(dataDir, owner.email)).some(
        (m) => m.subject.includes(project.name) && m.text.includes("was deleted"),
      ),
    ).toBe(true);
  });

  it("is for owners only", async () => {
    const owner = await newUser();
    const maintainer = await newUser();
    const project = await newProject(owner, [{ userId: maintainer.id, role: "maintainer" }]);
    expect(await deleteProject(project.id, project.name, actorOf(maintainer))).toEqual({
      ok: false,
      refused: "not-owner",
      project: project.name,
    });
    expect(await db().project.count({ where: { id: project.id } })).toBe(1);
  });
});

describe("deleteAccount", () => {
  it("is refused while the account is a project's only owner, and names the project", async () => {
    const owner = await newUser();
    const project = await newProject(owner);
    const result = await deleteAccount(await sudoSession(owner.id), owner.username, requestInfo());
    expect(result).toMatchObject({ ok: false, code: "sole_owner", projects: [project.name] });
    expect(await db().user.count({ where: { id: owner.id } })).toBe(1);
  });

  it("removes the account with sessions, tokens and roles, refreshes its projects, retires the username", async () => {
    const owner = await newUser();
    const leaver = await newUser();
    const project = await newProject(owner, [{ userId: leaver.id, role: "owner" }]);
    const serial = (await db().project.findUniqueOrThrow({ where: { id: project.id } })).lastSerial;

    expect(await deleteAccount(await sudoSession(leaver.id), "not me", requestInfo())).toMatchObject({
      ok: false,
      code: "confirmation",
    });
    expect(await deleteAccount(await sudoSession(leaver.id), leaver.username, requestInfo())).toEqual({ ok: true });
    expect(await db().user.count({ where: { id: leaver.id } })).toBe(0);
    expect(await db().projectRole.count({ where: { userId: leaver.id } })).toBe(0);
    // The project's pages list its members: its serial moved, so no cached page keeps the old list.
    expect((await db().project.findUniqueOrThrow({ where: { id: project.id } })).lastSerial).toBeGreaterThan(serial);
    expect((await mailTo(dataDir, leaver.email)).some((m) => m.text.includes("your account was deleted"))).toBe(true);

    const again = await createUser(
      { username: leaver.username.toUpperCase(), email: `again-${leaver.email}`, password: STRONG_PASSWORD },
      requestInfo(),
    );
    expect(again).toEqual({
      ok: false,
      fieldErrors: { username: "This username is not available. Choose another one." },
    });
  });

  it("a deleted account's name is not given out in a look-alike spelling either (adrnin for admin)", async () => {
    const s = crypto.randomBytes(4).toString("hex");
    const created = await createUser(
      { username: `admin-${s}`, email: `admin-${s}@example.com`, password: STRONG_PASSWORD, verified: true },
      requestInfo(),
    );
    if (!created.ok) throw new Error(JSON.stringify(created));
    expect(await deleteAccount(await sudoSession(created.user.id), created.user.username, requestInfo())).toEqual({
      ok: true,
    });
    for (const lookalike of [`adrnin-${s}`, `ADMlN_${s}`, `adm1n.${s}`]) {
      const again = await createUser(
        {
          username: lookalike,
          email: `${s}-${crypto.randomBytes(2).toString("hex")}@example.com`,
          password: STRONG_PASSWORD,
        },
        requestInfo(),
      );
      expect(again, lookalike).toEqual({
        ok: false,
        fieldErrors: { username: "This username is not available. Choose another one." },
      });
    }
  });
});

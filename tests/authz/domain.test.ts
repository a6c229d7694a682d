// The domain functions honour the policy's refusals (lib/authz/policy.ts) against the real
// database: refused with the reason code, and nothing changed.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import {
  changeRole,
  removeCollaborator,
  respondToInvitation,
  setRequireTwoFactor,
  setYanked,
  invite,
} from "@/lib/projects/manage";
import { beginTotpEnrolment, disableTwoFactor, regenerateRecoveryCodes } from "@/lib/accounts/two-factor";
import { changePassword, checkPassword, createUser, requestEmailChange } from "@/lib/accounts/users";
import { deleteAccount } from "@/lib/accounts/delete-account";
import { resolveSession } from "@/lib/accounts/sessions";
import { revokeSession, signOutOtherSessions } from "@/lib/accounts/signing-out";
import { sha256Hex } from "@/lib/security/tokens";
import {
  createSession,
  requestInfo,
  STRONG_PASSWORD,
  sudoSession,
  uniqueIdentity,
  withTempDataDir,
} from "../unit/helpers";
import { enrolledUser } from "../accounts/support";
import { addMember, person, publishedProject, rolesOf } from "../projects/support";

withTempDataDir();

describe("project changes", () => {
  it("refuses an owner whose session has not confirmed it is them (sudo), and changes nothing", async () => {
    const { project, owner } = await publishedProject(["1.0"]);
    const member = await person();
    await addMember(project.id, owner, member, "maintainer");
    const cookieOnly = { ...owner, inSudo: false };
    const serial = (await db().project.findUniqueOrThrow({ where: { id: project.id } })).lastSerial;
    const refused = { ok: false, refused: "needs-sudo", project: project.name };
    expect(await setYanked(project.id, "1.0", true, "", cookieOnly)).toEqual(refused);
    expect(await changeRole(project.id, member.username, "owner", cookieOnly)).toEqual(refused);
    expect(await setRequireTwoFactor(project.id, true, cookieOnly)).toEqual(refused);
    expect(await removeCollaborator(project.id, member.username, { ...member, inSudo: false })).toEqual(refused);
    const after = await db().project.findUniqueOrThrow({
      where: { id: project.id },
      select: { lastSerial: true, requireTwoFactor: true },
    });
    expect(after).toEqual({ lastSerial: serial, requireTwoFactor: false });
    expect(await rolesOf(project.id)).toEqual({ [owner.username]: "owner", [member.username]: "maintainer" });
  });

  it("keeps someone without 2FA out of a project that requires it, even with an invitation in hand", async () => {
    const { project, owner } = await publishedProject(["1.0"]);
    const newcomer = await person({ twoFactor: false });
    expect((await invite(project.id, newcomer.username, "maintainer", owner)).ok).toBe(true);
    // The project's rule is switched on after the invitation went out.
    expect((await setRequireTwoFactor(project.id, true, owner)).ok).toBe(true);
    const invitation = await db().roleInvitation.findFirstOrThrow({
      where: { projectId: project.id, inviteeId: newcomer.id },
    });
    expect(await respondToInvitation(invitation.id, true, newcomer)).toEqual({
      ok: false,
      refused: "project-requires-2fa",
      project: project.name,
    });
    expect(await rolesOf(project.id)).toEqual({ [owner.username]: "owner" });
    expect(await db().roleInvitation.count({ where: { id: invitation.id } })).toBe(1);
  });
});

describe("account changes", () => {
  it("refuses to start 2FA enrolment for an address that is not verified, even in sudo mode", async () => {
    const created = await createUser({ ...uniqueIdentity("unverified"), password: STRONG_PASSWORD }, null);
    if (!created.ok) throw new Error(JSON.stringify(created));
    expect(await beginTotpEnrolment(await sudoSession(created.user.id))).toEqual({
      ok: false,
      code: "email_unverified",
    });
    expect(
      await db().user.findUniqueOrThrow({ where: { id: created.user.id }, select: { totpPendingSecret: true } }),
    ).toEqual({ totpPendingSecret: null });
  });

  it("refuses every change of a signed-in account without a fresh confirmation, and changes nothing", async () => {
    const { user } = await enrolledUser(new Date(), "nosudo");
    // A stolen cookie: fully signed in, never confirmed (or confirmed long ago).
    const cookieOnly = (await resolveSession(await createSession(user.id, "full", requestInfo())))!;
    const other = await createSession(user.id, "full", requestInfo());
    const before = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    const codes = await db().recoveryCode.findMany({ where: { userId: user.id }, select: { codeHash: true } });
    const emails = await db().emailToken.count({ where: { userId: user.id } });
    const refused = { ok: false, code: "sudo_required" };

    expect(await changePassword(cookieOnly, "a different long passphrase 42?", requestInfo())).toEqual(refused);
    expect(await requestEmailChange(cookieOnly, `new.${user.email}`, requestInfo())).toEqual(refused);
    expect(await regenerateRecoveryCodes(cookieOnly, requestInfo())).toEqual(refused);
    expect(await disableTwoFactor(cookieOnly, requestInfo())).toEqual(refused);
    expect(await deleteAccount(cookieOnly, user.username, requestInfo())).toMatchObject({ ok: false, code: "refused" });
    expect(await revokeSession(cookieOnly, sha256Hex(other), requestInfo())).toEqual(refused);
    expect(await signOutOtherSessions(cookieOnly, requestInfo())).toEqual(refused);

    const after = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after).toEqual(before);
    expect(await checkPassword(user.id, STRONG_PASSWORD)).toBe(true);
    expect(await db().recoveryCode.findMany({ where: { userId: user.id }, select: { codeHash: true } })).toEqual(codes);
    expect(await db().emailToken.count({ where: { userId: user.id } })).toBe(emails);
    expect(await resolveSession(other)).not.toBeNull();
  });
});

// A project published the way twine publishes one (a real upload), and its people as the
// management functions see them (Actor). Shared by the project and fast-path tests.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { db } from "@/lib/db/client";
import { createUser } from "@/lib/accounts/users";
import { invite, respondToInvitation, type Actor, type Role } from "@/lib/projects/manage";
import { requestInfo, STRONG_PASSWORD, suffix, uniqueIdentity } from "../unit/helpers";
import { multipart, publisher, upload, uploadForm, wheel } from "../upload/support";

let scratch: string | undefined;

export const wheelFilename = (name: string, version: string) =>
  `${name.replace(/-/g, "_")}-${version}-py3-none-any.whl`;

/** Uploads a wheel of `name` at `version` with `token`; throws unless the upload succeeds. */
export async function publish(token: string, name: string, version: string): Promise<void> {
  scratch ??= fs.mkdtempSync(path.join(os.tmpdir(), "wh-projects-"));
  const content = await wheel(scratch, { name, version });
  const result = await upload(
    token,
    multipart(uploadForm({ name, version, filename: wheelFilename(name, version), content })),
  );
  if (result.status !== 200) throw new Error(`upload of ${name} ${version}: ${result.status} ${result.message}`);
}

async function actorFor(userId: string): Promise<Actor> {
  const row = await db().user.findUniqueOrThrow({
    where: { id: userId },
    select: { username: true, emailVerifiedAt: true, twoFactorEnabledAt: true },
  });
  // Acting from a session that has just confirmed it is them (sudo mode), as the web UI requires.
  const facts = {
    emailVerified: row.emailVerifiedAt !== null,
    twoFactorEnabled: row.twoFactorEnabledAt !== null,
    inSudo: true,
  };
  return { id: userId, username: row.username, ...facts, info: requestInfo() };
}

/** A new project with the given versions uploaded by its (2FA-enabled) owner. */
export async function publishedProject(versions: string[] = ["1.0"]) {
  const { userId, token } = await publisher();
  const name = `proj-${suffix()}`;
  for (const version of versions) await publish(token, name, version);
  const project = await db().project.findUniqueOrThrow({
    where: { normalizedName: name },
    select: { id: true, name: true, normalizedName: true },
  });
  return { project, owner: await actorFor(userId), token };
}

/** A verified user, with 2FA on unless asked otherwise. */
export async function person(opts: { twoFactor?: boolean } = {}): Promise<Actor> {
  const created = await createUser({ ...uniqueIdentity("member"), password: STRONG_PASSWORD, verified: true }, null);
  if (!created.ok) throw new Error(JSON.stringify(created));
  if (opts.twoFactor !== false)
    await db().user.update({
      where: { id: created.user.id },
      data: { totpEnabledAt: new Date(), twoFactorEnabledAt: new Date() },
    });
  return actorFor(created.user.id);
}

/** Adds `member` to the project through an invitation they accept, as the web UI does. */
export async function addMember(projectId: string, owner: Actor, member: Actor, role: Role): Promise<void> {
  const invited = await invite(projectId, member.username, role, owner);
  if (!invited.ok) throw new Error(JSON.stringify(invited));
  const invitation = await db().roleInvitation.findFirstOrThrow({
    where: { projectId, inviteeId: member.id },
    select: { id: true },
  });
  const accepted = await respondToInvitation(invitation.id, true, member);
  if (!accepted.ok) throw new Error(JSON.stringify(accepted));
}

export async function rolesOf(projectId: string): Promise<Record<string, string>> {
  const rows = await db().projectRole.findMany({
    where: { projectId },
    select: { role: true, user: { select: { username: true } } },
  });
  return Object.fromEntries(rows.map((r) => [r.user.username, r.role]));
}

// Managing a project: collaborators, yanking and deleting. Every change first loads the actor's
// role and asks lib/authz/policy.ts whether it may happen; a refusal goes back with its reason code
// for the caller to word. Each change lands in the project's journal and the actor's security
// history, and the project's owners are emailed.
import "server-only";
import { db } from "@/lib/db/client";
import { recordEventIn } from "@/lib/accounts/events";
import { newestFirst, pageOf } from "@/lib/events/history";
import { labelOf, noticeOf, type DetailsOf, type ProjectEventName } from "@/lib/events/catalogue";
import { queueMail, sendQueued } from "@/lib/email/outbox";
import { emails } from "@/lib/email/templates";
import type { RequestInfo } from "@/lib/http/request-info";
import type { Prisma } from "@/lib/generated/prisma/client";
import { dropUnusedBlobs } from "../storage/stored-files";
import { recordProjectEvent } from "./journal";
import { refreshProjectSummary } from "./summary";
import { canonicalizeVersion } from "../packaging/versions";
import { normalizeName } from "../packaging/names";
import { decide, offers, type ActorFacts, type Permission, type Reason, type Role } from "@/lib/authz/policy";
import { sitePolicy } from "@/lib/authz/facts";

export type { Role };
export const ROLES: Role[] = ["owner", "maintainer"];
export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

/** Who acts, with what the policy needs to know about them (lib/authz/facts.ts `sessionFacts`). */
export interface Actor extends ActorFacts {
  id: string;
  username: string;
  info: RequestInfo;
}

/** A refusal by the policy: the caller words `refused` (lib/errors.ts `refusalMessage`). */
export interface Denied {
  ok: false;
  refused: Reason;
  project: string;
}

export type ManageResult = { ok: true; message: string } | { ok: false; message: string } | Denied;

const denied = (result: object): result is Denied => "refused" in result;

const fail = (message: string): ManageResult => ({ ok: false, message });

/** Thrown inside a change's transaction to undo it and answer with `message`. */
class Refusal extends Error {}

/**
 * The row a change acts on was read before its transaction; a concurrent request (a double click,
 * a second owner) may have changed or removed it since. Writes are conditional (`updateMany` /
 * `deleteMany`), and one that found nothing to change undoes the transaction with a plain answer.
 */
function exactlyOne({ count }: { count: number }, refusal: string): void {
  if (count !== 1) throw new Refusal(refusal);
}

export interface ManagedProject {
  id: string;
  name: string;
  normalizedName: string;
  role: Role;
  requireTwoFactor: boolean;
}

/** The project as `userId` may manage it, or null when they are not a member (pages then 404). */
export async function managedProject(normalizedName: string, userId: string): Promise<ManagedProject | null> {
  const project = await db().project.findUnique({
    where: { normalizedName },
    select: {
      id: true,
      name: true,
      normalizedName: true,
      requireTwoFactor: true,
      roles: { where: { userId }, select: { role: true } },
    },
  });
  const role = project?.roles[0]?.role as Role | undefined;
  if (!project || !role) return null;
  return {
    id: project.id,
    name: project.name,
    normalizedName: project.normalizedName,
    role,
    requireTwoFactor: project.requireTwoFactor,
  };
}

/**
 * Which controls the manage pages show this member: the policy's answer on the facts the domain
 * decides on (lib/authz/policy.ts `offers`), so a page never offers what its action refuses by role.
 */
export function offeredOn(project: ManagedProject): (permission: Permission) => boolean {
  const facts = {
    site: sitePolicy(),
    project: { id: project.id, role: project.role, requireTwoFactor: project.requireTwoFactor },
  };
  return (permission) => offers(permission, facts);
}

/** Loads the actor's role on the project and asks the policy; returns the project or the refusal. */
async function authorize(
  permission: Permission,
  projectId: string,
  actor: ActorFacts & { id: string },
): Promise<{ id: string; name: string; requireTwoFactor: boolean } | Denied> {
  const project = await db().project.findUnique({
    where: { id: projectId },
    select: {
      id: true,
      name: true,
      requireTwoFactor: true,
      roles: { where: { userId: actor.id }, select: { role: true } },
    },
  });
  if (!project) return { ok: false, refused: "not-member", project: "" };
  const role = (project.roles[0]?.role as Role | undefined) ?? null;
  const decision = decide(permission, {
    actor,
    site: sitePolicy(),
    project: { id: project.id, role, requireTwoFactor: project.requireTwoFactor },
  });
  if (!decision.allowed) return { ok: false, refused: decision.reason, project: project.name };
  return { id: project.id, name: project.name, requireTwoFactor: project.requireTwoFactor };
}

async function ownersOf(tx: Prisma.TransactionClient | ReturnType<typeof db>, projectId: string) {
  return tx.projectRole.findMany({
    where: { projectId, role: "owner" },
    select: { user: { select: { id: true, username: true, email: true } } },
  });
}

/**
 * The change, its journal entry, the actor's history and the mail to the owners and anyone else
 * concerned, in one transaction: the mail is queued in the outbox and sent once it commits.
 */
async function record<N extends ProjectEventName>(
  project: { id: string; name: string },
  actor: Actor,
  change: { name: N; details: Omit<DetailsOf<N>, "project"> },
  work: (tx: Prisma.TransactionClient) => Promise<void>,
  alsoTell: { email: string; username: string }[] = [],
): Promise<string | null> {
  const details = { project: project.name, ...change.details } as unknown as DetailsOf<N>;
  let queued: string[];
  try {
    queued = await db().$transaction(async (tx) => {
      await work(tx);
      await recordProjectEvent(
        tx,
        project.id,
        change.name,
        { id: actor.id, ip: actor.info.ip },
        { ...change.details, by: actor.username },
      );
      const recipients = new Map<string, string>();
      for (const o of await ownersOf(tx, project.id)) recipients.set(o.user.email, o.user.username);
      for (const p of alsoTell) recipients.set(p.email, p.username);
      return [
        ...(await recordEventIn(tx, actor.id, change.name, actor.info, details)),
        ...(await queueProjectNotice(tx, project.name, change.name, details, actor, recipients)),
      ];
    });
  } catch (err) {
    if (err instanceof Refusal) return err.message;
    throw err;
  }
  sendQueued(queued);
  return null;
}

/** Queues the catalogue's email for a change to `project` to each of `recipients` (address → username). */
async function queueProjectNotice<N extends ProjectEventName>(
  tx: Prisma.TransactionClient,
  project: string,
  name: N,
  details: DetailsOf<N>,
  actor: Actor,
  recipients: Map<string, string>,
): Promise<string[]> {
  const notice = noticeOf(name, details);
  if (!notice) return [];
  const how = { at: new Date(), info: actor.info, act: notice.act };
  const ids: string[] = [];
  for (const [email, username] of recipients) {
    ids.push(await queueMail(tx, emails.projectNotice(email, username, project, notice, actor.username, how)));
  }
  return ids;
}

async function findRelease(projectId: string, version: string) {
  const canonical = canonicalizeVersion(version);
  if (!canonical) return null;
  return db().release.findUnique({
    where: { projectId_canonicalVersion: { projectId, canonicalVersion: canonical } },
    select: {
      id: true,
      version: true,
      yanked: true,
      files: { select: { filename: true, sha256: true, metadataSha256: true } },
    },
  });
}

export async function setYanked(
  projectId: string,
  version: string,
  yank: boolean,
  reason: string,
  actor: Actor,
): Promise<ManageResult> {
  const project = await authorize("project:yank", projectId, actor);
  if (denied(project)) return project;
  const release = await findRelease(projectId, version);
  if (!release) return fail(`There is no release ${version}.`);
  if (release.yanked === yank)
    return fail(yank ? `${release.version} is already yanked.` : `${release.version} is not yanked.`);
  const refused = await record(
    project,
    actor,
    {
      name: yank ? "release:yanked" : "release:unyanked",
      details: { version: release.version, reason: yank ? reason || null : null },
    },
    async (tx) => {
      exactlyOne(
        await tx.release.updateMany({
          where: { id: release.id, yanked: !yank },
          data: { yanked: yank, yankedReason: yank ? reason || null : null },
        }),
        yank ? `${release.version} is already yanked.` : `${release.version} is not yanked.`,
      );
      await refreshProjectSummary(tx, projectId);
    },
  );
  if (refused) return fail(refused);
  return {
    ok: true,
    message: yank
      ? `Release ${release.version} is yanked: pip skips it unless it is pinned exactly.`
      : `Release ${release.version} is no longer yanked.`,
  };
}

export async function deleteRelease(
  projectId: string,
  version: string,
  confirmation: string,
  actor: Actor,
): Promise<ManageResult> {
  const project = await authorize("project:delete-release", projectId, actor);
  if (denied(project)) return project;
  const release = await findRelease(projectId, version);
  if (!release) return fail(`There is no release ${version}.`);
  if (confirmation.trim() !== release.version)
    return fail(`Type the version, ${release.version}, to confirm the deletion.`);
  const refused = await record(
    project,
    actor,
    {
      name: "release:deleted",
      details: { version: release.version, files: release.files.length },
    },
    async (tx) => {
      exactlyOne(await tx.release.deleteMany({ where: { id: release.id } }), `There is no release ${release.version}.`);
      await refreshProjectSummary(tx, projectId);
    },
  );
  if (refused) return fail(refused);
  // Rows first, then bytes: a crash in between leaves unreferenced bytes, never a row without them.
  await dropUnusedBlobs(release.files.flatMap((f) => [f.sha256, f.metadataSha256]));
  return { ok: true, message: `Release ${release.version} was deleted. Its filenames can never be uploaded again.` };
}

/**
 * Deletes a whole project: releases, files, roles, invitations, token scopes and its journal go; its
 * name is reserved for good (as its filenames already are in filename_registry), so nobody can later
 * serve different files under the names people pinned. Every owner is emailed.
 */
export async function deleteProject(projectId: string, confirmation: string, actor: Actor): Promise<ManageResult> {
  const owner = await authorize("project:delete", projectId, actor);
  if (denied(owner)) return owner;
  const project = await db().project.findUniqueOrThrow({
    where: { id: projectId },
    select: {
      name: true,
      normalizedName: true,
      confusableKey: true,
      _count: { select: { releases: true, files: true } },
    },
  });
  if (normalizeName(confirmation.trim()) !== project.normalizedName)
    return fail(`Type the project's name, ${project.name}, to confirm the deletion.`);
  const owners = await ownersOf(db(), projectId);
  const blobs = await db().file.findMany({ where: { projectId }, select: { sha256: true, metadataSha256: true } });
  const counts = { releases: project._count.releases, files: project._count.files };
  const details = { project: project.name, ...counts };
  const queued = await db().$transaction(async (tx) => {
    // The upload lock of this name: an upload in flight finishes first, a later one finds the name reserved.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"upload:" + project.normalizedName}))`;
    // The last journal entry takes a new serial; kept with the reservation, it keeps the index's
    // serial moving forward after the project's own rows (journal included) are gone.
    const serial = await recordProjectEvent(
      tx,
      projectId,
      "project:deleted",
      { id: actor.id, ip: actor.info.ip },
      { ...counts, by: actor.username },
    );
    await tx.reservedProjectName.create({
      data: {
        normalizedName: project.normalizedName,
        name: project.name,
        confusableKey: project.confusableKey,
        serial,
        deletedBy: actor.username,
      },
    });
    await tx.project.delete({ where: { id: projectId } });
    const recipients = new Map(owners.map((o) => [o.user.email, o.user.username]));
    return [
      ...(await recordEventIn(tx, actor.id, "project:deleted", actor.info, details)),
      ...(await queueProjectNotice(tx, project.name, "project:deleted", details, actor, recipients)),
    ];
  });
  sendQueued(queued);
  await dropUnusedBlobs(blobs.flatMap((f) => [f.sha256, f.metadataSha256]));
  return { ok: true, message: `${project.name} was deleted. Its name can never be used again.` };
}

export async function deleteFile(
  projectId: string,
  filename: string,
  confirmation: string,
  actor: Actor,
): Promise<ManageResult> {
  const project = await authorize("project:delete-release", projectId, actor);
  if (denied(project)) return project;
  const file = await db().file.findFirst({
    where: { projectId, filename },
    select: { id: true, sha256: true, metadataSha256: true, release: { select: { version: true } } },
  });
  if (!file) return fail(`There is no file ${filename}.`);
  if (confirmation.trim() !== filename) return fail(`Type the filename, ${filename}, to confirm the deletion.`);
  const refused = await record(
    project,
    actor,
    { name: "file:deleted", details: { filename, version: file.release.version } },
    async (tx) => {
      exactlyOne(await tx.file.deleteMany({ where: { id: file.id } }), `There is no file ${filename}.`);
      await refreshProjectSummary(tx, projectId);
    },
  );
  if (refused) return fail(refused);
  await dropUnusedBlobs([file.sha256, file.metadataSha256]);
  return { ok: true, message: `${filename} was deleted. Its name can never be uploaded again.` };
}

export async function invite(projectId: string, username: string, role: Role, actor: Actor): Promise<ManageResult> {
  const project = await authorize("project:roles", projectId, actor);
  if (denied(project)) return project;
  const invitee = await db().user.findUnique({
    where: { usernameKey: username.trim().toLowerCase() },
    select: { id: true, username: true, email: true, emailVerifiedAt: true, twoFactorEnabledAt: true },
  });
  if (!invitee) return fail(`There is no user named ${username}.`);
  if (await db().projectRole.findUnique({ where: { projectId_userId: { projectId, userId: invitee.id } } })) {
    return fail(`${invitee.username} is already a collaborator.`);
  }
  // Only someone who could accept is invited: the policy's answer for the invitee joining.
  const joining = decide("project:join", {
    actor: {
      emailVerified: invitee.emailVerifiedAt !== null,
      twoFactorEnabled: invitee.twoFactorEnabledAt !== null,
      inSudo: false,
    },
    site: sitePolicy(),
    project: { id: project.id, role: null, requireTwoFactor: project.requireTwoFactor },
  });
  if (!joining.allowed && joining.reason === "needs-verified-email") {
    return fail(`${invitee.username} has not verified their email address yet, so they cannot be invited.`);
  }
  if (!joining.allowed) {
    return fail(
      `${project.name} requires collaborators to have two-factor authentication, ` +
        `and ${invitee.username} has not enabled it. Ask them to enable it first.`,
    );
  }
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
  await record(
    project,
    actor,
    {
      name: "role:invited",
      details: { user: invitee.username, role },
    },
    async (tx) => {
      await tx.roleInvitation.upsert({
        where: { projectId_inviteeId: { projectId, inviteeId: invitee.id } },
        create: { projectId, inviteeId: invitee.id, inviterId: actor.id, role, expiresAt },
        update: { role, inviterId: actor.id, expiresAt, createdAt: new Date() },
      });
    },
    [{ email: invitee.email, username: invitee.username }],
  );
  return { ok: true, message: `Invited ${invitee.username} as ${role}. The invitation expires in 7 days.` };
}

export async function revokeInvitation(projectId: string, invitationId: string, actor: Actor): Promise<ManageResult> {
  const project = await authorize("project:roles", projectId, actor);
  if (denied(project)) return project;
  const invitation = await db().roleInvitation.findFirst({
    where: { id: invitationId, projectId },
    include: { invitee: { select: { username: true } } },
  });
  if (!invitation) return fail("That invitation no longer exists.");
  const refused = await record(
    project,
    actor,
    { name: "role:invitation-revoked", details: { user: invitation.invitee.username } },
    async (tx) => {
      exactlyOne(
        await tx.roleInvitation.deleteMany({ where: { id: invitation.id } }),
        "That invitation no longer exists.",
      );
    },
  );
  if (refused) return fail(refused);
  return { ok: true, message: `The invitation of ${invitation.invitee.username} was revoked.` };
}

export interface InvitationView {
  id: string;
  project: string;
  role: string;
  expiresAt: Date;
}

export async function listInvitationsFor(userId: string, now = new Date()): Promise<InvitationView[]> {
  const rows = await db().roleInvitation.findMany({
    where: { inviteeId: userId, expiresAt: { gt: now } },
    include: { project: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((r) => ({ id: r.id, project: r.project.name, role: r.role, expiresAt: r.expiresAt }));
}

export async function respondToInvitation(
  invitationId: string,
  accept: boolean,
  actor: Actor,
  now = new Date(),
): Promise<ManageResult> {
  const invitation = await db().roleInvitation.findFirst({
    where: { id: invitationId, inviteeId: actor.id },
    include: { project: { select: { id: true, name: true, requireTwoFactor: true } } },
  });
  if (!invitation || invitation.expiresAt <= now) return fail("This invitation has expired or was withdrawn.");
  const project = invitation.project;
  if (accept) {
    const joining = await authorize("project:join", project.id, actor);
    if (denied(joining)) return joining;
  }
  const refused = await record(
    project,
    actor,
    {
      name: accept ? "role:accepted" : "role:declined",
      details: { user: actor.username, role: invitation.role },
    },
    async (tx) => {
      exactlyOne(
        await tx.roleInvitation.deleteMany({ where: { id: invitation.id } }),
        "This invitation has expired or was withdrawn.",
      );
      if (accept)
        await tx.projectRole.create({ data: { projectId: project.id, userId: actor.id, role: invitation.role } });
    },
  );
  if (refused) return fail(refused);
  return {
    ok: true,
    message: accept
      ? `You are now ${invitation.role} of ${project.name}.`
      : `You declined the invitation to ${project.name}.`,
  };
}

/** Changes a collaborator's role; the project always keeps an owner. */
export async function changeRole(projectId: string, username: string, role: Role, actor: Actor): Promise<ManageResult> {
  const project = await authorize("project:roles", projectId, actor);
  if (denied(project)) return project;
  const member = await db().projectRole.findFirst({
    where: { projectId, user: { usernameKey: username.toLowerCase() } },
    select: { role: true, userId: true, user: { select: { username: true, email: true } } },
  });
  if (!member) return fail(`${username} is not a collaborator.`);
  if (member.role === role) return fail(`${member.user.username} is already ${role}.`);
  const refused = await record(
    project,
    actor,
    { name: "role:changed", details: { user: member.user.username, from: member.role, to: role } },
    async (tx) => {
      await keepAnOwner(tx, projectId, member.userId);
      exactlyOne(
        await tx.projectRole.updateMany({
          where: { projectId, userId: member.userId, role: member.role },
          data: { role },
        }),
        `${member.user.username} is no longer ${member.role} of ${project.name}.`,
      );
    },
    [{ email: member.user.email, username: member.user.username }],
  );
  if (refused) return fail(refused);
  return { ok: true, message: `${member.user.username} is now ${role}.` };
}

/** Inside a demotion or removal of `userId`: refuses when it would leave the project without an owner. */
async function keepAnOwner(tx: Prisma.TransactionClient, projectId: string, userId: string): Promise<void> {
  // Two owners removing each other at once must not both succeed: lock the project's role rows
  // first. All of them, not only the owners': a row locked after a wait is read as it is now, so
  // a member promoted meanwhile counts as the owner they have become (filtering on role would
  // judge by the snapshot taken before the wait). Roles read before this transaction count for nothing.
  const roles = await tx.$queryRaw<{ user_id: string; role: string }[]>`
    SELECT user_id, role FROM project_roles WHERE project_id = ${projectId}::uuid FOR UPDATE`;
  const owners = roles.filter((r) => r.role === "owner");
  if (owners.length <= 1 && owners.some((o) => o.user_id === userId)) {
    throw new Refusal("A project must keep at least one owner: add another owner first.");
  }
}

export async function removeCollaborator(projectId: string, username: string, actor: Actor): Promise<ManageResult> {
  const member = await db().projectRole.findFirst({
    where: { projectId, user: { usernameKey: username.toLowerCase() } },
    select: { role: true, userId: true, user: { select: { username: true, email: true } } },
  });
  if (!member) return fail(`${username} is not a collaborator.`);
  // Anyone may leave a project; removing someone else takes an owner.
  const leaving = member.userId === actor.id;
  const project = await authorize(leaving ? "project:leave" : "project:roles", projectId, actor);
  if (denied(project)) return project;
  const refused = await record(
    project,
    actor,
    {
      name: "role:removed",
      details: { user: member.user.username, role: member.role, ...(leaving ? { left: true } : {}) },
    },
    async (tx) => {
      await keepAnOwner(tx, projectId, member.userId);
      exactlyOne(
        await tx.projectRole.deleteMany({ where: { projectId, userId: member.userId } }),
        `${member.user.username} is not a collaborator.`,
      );
    },
    [{ email: member.user.email, username: member.user.username }],
  );
  if (refused) return fail(refused);
  return {
    ok: true,
    message: leaving ? `You left ${project.name}.` : `${member.user.username} was removed from ${project.name}.`,
  };
}

export async function setRequireTwoFactor(projectId: string, on: boolean, actor: Actor): Promise<ManageResult> {
  const project = await authorize("project:settings", projectId, actor);
  if (denied(project)) return project;
  if (project.requireTwoFactor === on) return { ok: true, message: "Nothing changed." };
  await record(
    project,
    actor,
    {
      name: "project:settings-changed",
      details: { requireTwoFactor: on },
    },
    async (tx) => {
      await tx.project.update({ where: { id: projectId }, data: { requireTwoFactor: on } });
    },
  );
  return {
    ok: true,
    message: on
      ? "Collaborators now need two-factor authentication to upload or manage."
      : "Two-factor authentication is no longer required by this project.",
  };
}

export interface CollaboratorView {
  username: string;
  role: string;
  since: Date;
  twoFactorEnabled: boolean;
}

export async function listCollaborators(projectId: string, now = new Date()) {
  const [roles, invitations] = await Promise.all([
    db().projectRole.findMany({
      where: { projectId },
      orderBy: { createdAt: "asc" },
      select: { role: true, createdAt: true, user: { select: { username: true, twoFactorEnabledAt: true } } },
    }),
    db().roleInvitation.findMany({
      where: { projectId, expiresAt: { gt: now } },
      orderBy: { createdAt: "asc" },
      select: { id: true, role: true, expiresAt: true, invitee: { select: { username: true } } },
    }),
  ]);
  return {
    members: roles.map((r): CollaboratorView => ({
      username: r.user.username,
      role: r.role,
      since: r.createdAt,
      twoFactorEnabled: r.user.twoFactorEnabledAt !== null,
    })),
    invitations: invitations.map((i) => ({
      id: i.id,
      username: i.invitee.username,
      role: i.role,
      expiresAt: i.expiresAt,
    })),
  };
}

export interface ProjectEventView {
  id: string;
  tag: string;
  label: string;
  at: Date;
  actor: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export async function listProjectEvents(
  projectId: string,
  page = 1,
  perPage = 50,
): Promise<{ events: ProjectEventView[]; hasMore: boolean }> {
  const rows = await db().projectEvent.findMany({ where: { projectId }, ...newestFirst(page, perPage) });
  const actors = await db().user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.actorId).filter((a): a is string => !!a))] } },
    select: { id: true, username: true },
  });
  const names = new Map(actors.map((a) => [a.id, a.username]));
  return pageOf(rows, perPage, (r) => ({
    id: r.id.toString(),
    tag: r.tag,
    label: labelOf(r.tag),
    at: r.createdAt,
    actor: r.actorId ? (names.get(r.actorId) ?? null) : null,
    ip: r.ip,
    details: (r.details as Record<string, unknown> | null) ?? {},
  }));
}

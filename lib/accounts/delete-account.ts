// Deleting one's own account. What goes: the user row and, with it, sessions, API tokens, recovery
// codes, email tokens, pending invitations, project roles and the security history. What stays:
// project journals (they name the user as they were), the projects themselves (an account that is
// the only owner of one cannot be deleted: the project would be left with nobody to manage it) and
// the username, which is never given out again so nobody can pass for its old owner.
import "server-only";
import { confusableSkeleton } from "@/lib/packaging/names";
import { db } from "@/lib/db/client";
import { sendQueued } from "@/lib/email/outbox";
import { notifyUser } from "./notify";
import type { RequestInfo } from "@/lib/http/request-info";
import { recordProjectEvent } from "@/lib/projects/journal";
import { soleOwnedProjects } from "@/lib/projects/member-projects";
import { usernameKey } from "./rules";
import type { ActiveSession } from "./sessions";
import { accountRefusalCode } from "@/lib/authz/facts";
import { messageFor } from "@/lib/errors";

export type DeleteAccountResult =
  | { ok: true }
  /** The session has not confirmed it is the owner lately (sudo). */
  | { ok: false; code: "refused"; message: string }
  | { ok: false; code: "confirmation"; message: string }
  | { ok: false; code: "sole_owner"; message: string; projects: string[] };

/** Deletes the session's own account; needs a fresh confirmation on the session. */
export async function deleteAccount(
  session: ActiveSession,
  confirmation: string,
  info: RequestInfo,
  now = new Date(),
): Promise<DeleteAccountResult> {
  const refused = accountRefusalCode("account:change", session, now);
  if (refused) return { ok: false, code: "refused", message: messageFor(refused) };
  const userId = session.user.id;
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { username: true, email: true } });
  if (usernameKey(confirmation.trim()) !== usernameKey(user.username)) {
    return { ok: false, code: "confirmation", message: `Type your username, ${user.username}, to confirm.` };
  }
  const result = await db().$transaction(async (tx) => {
    // Checked inside the transaction, with the roles locked: a co-owner leaving at the same moment
    // must not leave a project with no owner at all.
    await tx.$queryRaw`
      SELECT 1 FROM project_roles
      WHERE project_id IN (SELECT project_id FROM project_roles WHERE user_id = ${userId}::uuid)
      FOR UPDATE`;
    const sole = await soleOwnedProjects(userId, tx);
    if (sole.length) return { ok: false as const, projects: sole.map((p) => p.name) };
    const roles = await tx.projectRole.findMany({ where: { userId }, select: { projectId: true, role: true } });
    // Each project the user belonged to changes what its pages show (maintainers): a journal entry
    // bumps its serial, so no cached page keeps listing them.
    for (const r of roles) {
      await recordProjectEvent(
        tx,
        r.projectId,
        "role:removed",
        { id: userId, ip: info.ip },
        { username: user.username, role: r.role, reason: "account deleted", by: user.username },
      );
    }
    await tx.prohibitedUsername.create({
      data: { usernameKey: usernameKey(user.username), usernameSkeleton: confusableSkeleton(user.username) },
    });
    await tx.user.delete({ where: { id: userId } });
    return { ok: true as const, mail: await notifyUser(tx, user, "account:deleted", {}, { info }) };
  });
  if (!result.ok) {
    return {
      ok: false,
      code: "sole_owner",
      message:
        "You are the only owner of projects that would be left without one: add another owner or delete them first.",
      projects: result.projects,
    };
  }
  sendQueued(result.mail);
  return { ok: true };
}

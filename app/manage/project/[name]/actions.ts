"use server";
// Every project change: a signed-in member, in sudo mode (password + second factor), acting on a
// project they belong to. Whether they may is decided in lib/projects/manage.ts (through
// lib/authz/policy.ts); these actions only word its answer.
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { userAction, type ActionState } from "@/lib/http/action";
import {
  managedProject,
  changeRole,
  deleteFile,
  deleteProject,
  deleteRelease,
  invite,
  removeCollaborator,
  respondToInvitation,
  revokeInvitation,
  setRequireTwoFactor,
  setYanked,
  ROLES,
  type Actor,
  type ManagedProject,
  type ManageResult,
} from "@/lib/projects/manage";
import type { ActiveSession } from "@/lib/accounts/sessions";
import type { RequestInfo } from "@/lib/http/request-info";
import { usernameSchema } from "@/lib/accounts/rules";
import { sessionFacts } from "@/lib/authz/facts";
import { refusalMessage } from "@/lib/errors";

const projectField = z.string().min(1).max(100);

function actorOf(session: ActiveSession, info: RequestInfo): Actor {
  return { id: session.user.id, username: session.user.username, ...sessionFacts(session), info };
}

function wording(result: Exclude<ManageResult, { ok: true }>): string {
  return "refused" in result ? refusalMessage(result.refused, result.project) : result.message;
}

function answer(result: ManageResult, project?: ManagedProject): ActionState {
  if (project) revalidatePath(`/manage/project/${project.normalizedName}`, "layout");
  return result.ok ? { ok: true, message: result.message } : { error: wording(result) };
}

function projectAction<S extends z.ZodObject<{ project: typeof projectField }>>(
  schema: S,
  run: (input: z.infer<S>, project: ManagedProject, actor: Actor) => Promise<ManageResult>,
) {
  return userAction(
    schema,
    async (input, { session, info }) => {
      const project = await managedProject(input.project, session.user.id);
      if (!project) return { error: refusalMessage("not-member") };
      return answer(await run(input, project, actorOf(session, info)), project);
    },
    { sudo: true },
  );
}

const version = z.string().trim().min(1, "Which release?").max(100);

export const yankAction = projectAction(
  z.object({
    project: projectField,
    version,
    reason: z.string().trim().max(500, "Keep the reason under 500 characters.").default(""),
  }),
  ({ version: v, reason }, project, actor) => setYanked(project.id, v, true, reason, actor),
);

export const unyankAction = projectAction(
  z.object({ project: projectField, version }),
  ({ version: v }, project, actor) => setYanked(project.id, v, false, "", actor),
);

export const deleteReleaseAction = projectAction(
  z.object({ project: projectField, version, confirm: z.string().max(300).default("") }),
  ({ version: v, confirm }, project, actor) => deleteRelease(project.id, v, confirm, actor),
);

export const deleteFileAction = projectAction(
  z.object({ project: projectField, filename: z.string().min(1).max(255), confirm: z.string().max(300).default("") }),
  ({ filename, confirm }, project, actor) => deleteFile(project.id, filename, confirm, actor),
);

const role = z.enum(ROLES, { error: "Choose owner or maintainer." });

export const inviteAction = projectAction(
  z.object({ project: projectField, username: usernameSchema, role }),
  ({ username, role: r }, project, actor) => invite(project.id, username, r, actor),
);

export const revokeInvitationAction = projectAction(
  z.object({ project: projectField, invitation: z.uuid() }),
  ({ invitation }, project, actor) => revokeInvitation(project.id, invitation, actor),
);

export const changeRoleAction = projectAction(
  z.object({ project: projectField, username: usernameSchema, role }),
  ({ username, role: r }, project, actor) => changeRole(project.id, username, r, actor),
);

export const removeCollaboratorAction = projectAction(
  z.object({ project: projectField, username: usernameSchema }),
  ({ username }, project, actor) => removeCollaborator(project.id, username, actor),
);

export const requireTwoFactorAction = projectAction(
  z.object({ project: projectField, require: z.enum(["on", "off"]) }),
  ({ require }, project, actor) => setRequireTwoFactor(project.id, require === "on", actor),
);

/** Deleting the project: its pages are gone afterwards, so the owner lands on their project list. */
export const deleteProjectAction = userAction(
  z.object({ project: projectField, confirm: z.string().max(300).default("") }),
  async ({ project: name, confirm }, { session, info }) => {
    const project = await managedProject(name, session.user.id);
    if (!project) return { error: refusalMessage("not-member") };
    const result = await deleteProject(project.id, confirm, actorOf(session, info));
    if (!result.ok) return { error: wording(result) };
    redirect(`/account/projects?deleted=${encodeURIComponent(project.normalizedName)}`);
  },
  { sudo: true },
);

/** Accepting or declining is the invitee's, with no sudo: it changes only their own membership. */
export const respondToInvitationAction = userAction(
  z.object({ invitation: z.uuid(), answer: z.enum(["accept", "decline"]) }),
  async ({ invitation, answer: reply }, { session, info }) => {
    const result = await respondToInvitation(invitation, reply === "accept", actorOf(session, info));
    revalidatePath("/account/invitations");
    return result.ok ? { ok: true, message: result.message } : { error: wording(result) };
  },
);

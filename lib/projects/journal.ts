// The project journal: every change to what the index shows writes one event, and the event's id
// becomes the project's last serial, so any process can tell a cached page is stale.
import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";

export type ProjectEventTag =
  | "project:created"
  | "file:uploaded"
  | "file:deleted"
  | "release:yanked"
  | "release:unyanked"
  | "release:deleted"
  | "role:invited"
  | "role:invitation-revoked"
  | "role:accepted"
  | "role:declined"
  | "role:changed"
  | "role:removed"
  | "project:settings-changed"
  | "project:deleted"
  | "project:readmes-rerendered";

export async function recordProjectEvent(
  tx: Prisma.TransactionClient,
  projectId: string,
  tag: ProjectEventTag,
  actor: { id: string | null; ip: string | null },
  details: Record<string, string | number | boolean | null> = {},
): Promise<bigint> {
  const event = await tx.projectEvent.create({
    data: { projectId, actorId: actor.id, tag, ip: actor.ip, details },
    select: { id: true },
  });
  await tx.project.update({ where: { id: projectId }, data: { lastSerial: event.id, updatedAt: new Date() } });
  return event.id;
}

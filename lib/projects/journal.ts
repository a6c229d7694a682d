// The project journal: every change to what the index shows writes one event, and the event's id
// becomes the project's last serial, so any process can tell a cached page is stale. Event names
// and labels are in lib/events/catalogue.ts.
import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Details, ProjectEventName } from "@/lib/events/catalogue";

export async function recordProjectEvent(
  tx: Prisma.TransactionClient,
  projectId: string,
  name: ProjectEventName,
  actor: { id: string | null; ip: string | null },
  details: Details = {},
): Promise<bigint> {
  const event = await tx.projectEvent.create({
    data: { projectId, actorId: actor.id, tag: name, ip: actor.ip, details: details as Prisma.InputJsonObject },
    select: { id: true },
  });
  await tx.project.update({ where: { id: projectId }, data: { lastSerial: event.id, updatedAt: new Date() } });
  return event.id;
}

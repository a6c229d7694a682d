// Projects as their members see them.
import "server-only";
import { db } from "@/lib/db/client";

export interface MemberProject {
  id: string;
  name: string;
  normalizedName: string;
  role: string;
}

export async function listProjectsOfUser(userId: string): Promise<MemberProject[]> {
  const rows = await db().projectRole.findMany({
    where: { userId },
    include: { project: { select: { id: true, name: true, normalizedName: true } } },
    orderBy: { project: { normalizedName: "asc" } },
  });
  return rows.map((r) => ({
    id: r.project.id,
    name: r.project.name,
    normalizedName: r.project.normalizedName,
    role: r.role,
  }));
}

/** The display name of a project `username` deleted, for the confirmation after the deletion; else null. */
export async function projectDeletedBy(normalizedName: string, username: string): Promise<string | null> {
  const row = await db().reservedProjectName.findUnique({
    where: { normalizedName },
    select: { name: true, deletedBy: true },
  });
  return row && row.deletedBy === username ? row.name : null;
}

/** Projects that would be left without an owner if this user went (their account cannot be deleted). */
export async function soleOwnedProjects(
  userId: string,
  tx: Pick<ReturnType<typeof db>, "project"> = db(),
): Promise<{ name: string; normalizedName: string }[]> {
  const rows = await tx.project.findMany({
    where: { roles: { some: { userId, role: "owner" }, none: { role: "owner", userId: { not: userId } } } },
    select: { name: true, normalizedName: true },
    orderBy: { normalizedName: "asc" },
  });
  return rows;
}

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
  return rows.map((r) => ({ id: r.project.id, name: r.project.name, normalizedName: r.project.normalizedName, role: r.role }));
}

// Keeps a project's row in step with its latest release (version, summary, keywords, classifiers;
// a trigger derives the search vector from them), so listings and search read one row per
// project. Called in the same transaction as every upload, yank and deletion.
import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { selectLatestRelease } from "../index-api/json";

export async function refreshProjectSummary(tx: Prisma.TransactionClient, projectId: string): Promise<void> {
  const releases = await tx.release.findMany({
    where: { projectId },
    select: {
      version: true,
      yanked: true,
      summary: true,
      keywords: true,
      classifiers: true,
      files: { select: { id: true }, take: 1 },
    },
  });
  const latest = selectLatestRelease(releases);
  await tx.project.update({
    where: { id: projectId },
    data: {
      latestVersion: latest?.version ?? null,
      summary: latest?.summary ?? null,
      keywords: latest?.keywords ?? [],
      classifiers: latest?.classifiers ?? [],
    },
  });
}

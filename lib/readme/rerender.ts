// Re-renders stored READMEs made by an older RENDERER_VERSION, so a sanitizer or renderer fix reaches old releases.
import "server-only";
import { db } from "@/lib/db/client";
import { recordProjectEvent } from "@/lib/projects/journal";
import { renderDescription, RENDERER_VERSION } from "@/lib/readme";

export interface RerenderCounts {
  /** Releases whose stored HTML was made by an older renderer (or none recorded). */
  checked: number;
  /** Those whose HTML came out different, and so are shown differently now. */
  changed: number;
  /** Projects whose serial was bumped, so every process's cached pages of them are refreshed. */
  projects: number;
}

/**
 * Idempotent and safe while the server runs: each batch is rendered outside any transaction, then written only where
 * the row still carries the version it was read with (an upload or a concurrent run may have got there first).
 */
export async function rerenderReadmes(batchSize = 100): Promise<RerenderCounts> {
  const counts: RerenderCounts = { checked: 0, changed: 0, projects: 0 };
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const batch = await db().release.findMany({
      // Keyset pagination by id: a release skipped by a concurrent write is never read twice, the loop always ends.
      where: {
        id: { gt: after },
        OR: [{ descriptionRenderer: null }, { descriptionRenderer: { lt: RENDERER_VERSION } }],
      },
      orderBy: { id: "asc" },
      take: batchSize,
      select: {
        id: true,
        projectId: true,
        description: true,
        descriptionContentType: true,
        descriptionHtml: true,
        descriptionRenderer: true,
      },
    });
    const last = batch.at(-1);
    if (last === undefined) return counts;
    after = last.id;
    const rendered = batch.map((r) => ({
      ...r,
      html: renderDescription(r.description, r.descriptionContentType).html || null,
    }));
    await db().$transaction(async (tx) => {
      const changedPerProject = new Map<string, number>();
      for (const r of rendered) {
        const { count } = await tx.release.updateMany({
          where: { id: r.id, descriptionRenderer: r.descriptionRenderer },
          data: { descriptionHtml: r.html, descriptionRenderer: RENDERER_VERSION },
        });
        if (count === 0) continue;
        counts.checked++;
        if (r.html === r.descriptionHtml) continue;
        counts.changed++;
        changedPerProject.set(r.projectId, (changedPerProject.get(r.projectId) ?? 0) + 1);
      }
      for (const [projectId, releases] of changedPerProject) {
        await recordProjectEvent(
          tx,
          projectId,
          "project:readmes-rerendered",
          { id: null, ip: null },
          { releases, renderer: RENDERER_VERSION },
        );
      }
      counts.projects += changedPerProject.size;
    });
  }
}

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireSession } from "@/lib/accounts/current";
import { listProjectEvents, managedProject } from "@/lib/projects/manage";
import { normalizeName } from "@/lib/packaging/names";
import { requestedPage } from "@/lib/events/history";
import { LocalTime } from "@/components/ui/local-time";
import { HistoryPagination } from "@/components/ui/history-pagination";

export const metadata: Metadata = { title: "Project history" };

export default async function ProjectHistoryPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { name } = await params;
  const session = await requireSession(`/manage/project/${name}/history`);
  const project = await managedProject(normalizeName(name), session.user.id);
  if (!project) notFound();
  const page = requestedPage((await searchParams).page);
  const { events, hasMore } = await listProjectEvents(project.id, page);
  return (
    <section className="card">
      <table data-testid="project-history" className="stack-rows">
        <thead>
          <tr>
            <th>Event</th>
            <th>Details</th>
            <th>By</th>
            <th>When</th>
            <th>IP address</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td data-label="Event">{e.label}</td>
              <td data-label="Details" className="small">
                {Object.entries(e.details)
                  .filter(([k, v]) => k !== "by" && v !== null && v !== "")
                  .map(([k, v]) => `${k}: ${String(v)}`)
                  .join(" · ")}
              </td>
              <td data-label="By">{e.actor ?? "—"}</td>
              <td data-label="When">
                <LocalTime date={e.at} />
              </td>
              <td data-label="IP address">{e.ip ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <HistoryPagination path={`/manage/project/${project.normalizedName}/history`} page={page} hasMore={hasMore} />
    </section>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireSession } from "@/lib/accounts/current";
import { listProjectEvents, managedProject } from "@/lib/projects/manage";
import { normalizeName } from "@/lib/packaging/names";
import { LocalTime } from "@/components/ui/local-time";

export const metadata: Metadata = { title: "Project history" };

const LABELS: Record<string, string> = {
  "project:created": "Project created",
  "file:uploaded": "File uploaded",
  "file:deleted": "File deleted",
  "release:yanked": "Release yanked",
  "release:unyanked": "Release un-yanked",
  "release:deleted": "Release deleted",
  "role:invited": "Collaborator invited",
  "role:invitation-revoked": "Invitation revoked",
  "role:accepted": "Invitation accepted",
  "role:declined": "Invitation declined",
  "role:changed": "Role changed",
  "role:removed": "Collaborator removed",
  "project:settings-changed": "Settings changed",
  "project:readmes-rerendered": "Descriptions re-rendered",
};

export default async function ProjectHistoryPage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { name } = await params;
  const session = await requireSession(`/manage/project/${name}/history`);
  const project = await managedProject(normalizeName(name), session.user.id);
  if (!project) notFound();
  const requested = Number((await searchParams).page);
  const page = Number.isInteger(requested) && requested > 0 ? requested : 1;
  const { events, hasMore } = await listProjectEvents(project.id, page);
  return (
    <section className="card table-wrap">
      <table data-testid="project-history">
        <thead>
          <tr><th>Event</th><th>Details</th><th>By</th><th>When</th><th>IP address</th></tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td>{LABELS[e.tag] ?? e.tag}</td>
              <td className="small">
                {Object.entries(e.details)
                  .filter(([k, v]) => k !== "by" && v !== null && v !== "")
                  .map(([k, v]) => `${k}: ${String(v)}`)
                  .join(" · ")}
              </td>
              <td>{e.actor ?? "—"}</td>
              <td><LocalTime date={e.at} /></td>
              <td>{e.ip ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav className="pagination" aria-label="Pages">
        {page > 1 ? <Link href={`?page=${page - 1}`}>← Newer</Link> : <span />}
        {hasMore ? <Link href={`?page=${page + 1}`}>Older →</Link> : <span />}
      </nav>
    </section>
  );
}

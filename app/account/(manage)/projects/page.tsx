import type { Metadata } from "next";
import Link from "next/link";
import { requireSession } from "@/lib/accounts/current";
import { listProjectsOfUser, projectDeletedBy } from "@/lib/projects/member-projects";

export const metadata: Metadata = { title: "Your projects" };

export default async function YourProjectsPage({
  searchParams,
}: {
  searchParams: Promise<{ deleted?: string | string[] }>;
}) {
  const session = await requireSession("/account/projects");
  const { deleted } = await searchParams;
  const [projects, deletedName] = await Promise.all([
    listProjectsOfUser(session.user.id),
    typeof deleted === "string" ? projectDeletedBy(deleted, session.user.username) : null,
  ]);
  return (
    <>
      <h1>Your projects</h1>
      {deletedName && (
        <p className="banner banner-ok" role="status" data-testid="project-deleted">
          {deletedName} was deleted. Its name and filenames can never be used again.
        </p>
      )}
      {projects.length === 0 ? (
        <p className="muted">
          You have no projects yet. Your first upload with twine creates one: see{" "}
          <Link href="/help">how to publish</Link>.
        </p>
      ) : (
        <div className="card">
          <table data-testid="your-projects" className="stack-rows">
            <thead>
              <tr>
                <th>Project</th>
                <th>Role</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {projects.map((p) => (
                <tr key={p.id}>
                  <td data-label="Project">
                    <Link href={`/project/${p.normalizedName}`}>{p.name}</Link>
                  </td>
                  <td data-label="Role">{p.role}</td>
                  <td>
                    <Link href={`/manage/project/${p.normalizedName}`}>Manage</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

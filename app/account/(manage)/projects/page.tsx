import type { Metadata } from "next";
import Link from "next/link";
import { requireSession } from "@/lib/accounts/current";
import { listProjectsOfUser } from "@/lib/packaging/projects";

export const metadata: Metadata = { title: "Your projects" };

export default async function YourProjectsPage() {
  const session = await requireSession("/account/projects");
  const projects = await listProjectsOfUser(session.user.id);
  return (
    <>
      <h1>Your projects</h1>
      {projects.length === 0 ? (
        <p className="muted">You have no projects yet. Your first upload with twine creates one: see <Link href="/help">how to publish</Link>.</p>
      ) : (
        <div className="card table-wrap">
          <table data-testid="your-projects">
            <thead><tr><th>Project</th><th>Role</th><th /></tr></thead>
            <tbody>
              {projects.map((p) => (
                <tr key={p.id}>
                  <td><Link href={`/project/${p.normalizedName}`}>{p.name}</Link></td>
                  <td>{p.role}</td>
                  <td><Link href={`/manage/project/${p.normalizedName}`}>Manage</Link></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

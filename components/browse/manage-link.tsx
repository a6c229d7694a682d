// "Manage project", shown only to the project's owners and maintainers: anyone else would only
// meet a sign-in page or a 404 behind it. Anonymous pages (the ones kept in memory) never show it.
import Link from "next/link";
import { currentSession } from "@/lib/accounts/current";

export async function ManageLink({ project, members }: { project: string; members: readonly { username: string }[] }) {
  const session = await currentSession();
  if (!session || !members.some((m) => m.username === session.user.username)) return null;
  return (
    <div className="sidebar-section">
      <Link href={`/manage/project/${project}`} className="button button-secondary" data-testid="manage-link">
        Manage project
      </Link>
    </div>
  );
}

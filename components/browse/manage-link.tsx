"use client";
// "Manage project", shown only to the project's owners and maintainers: anyone else would only
// meet a sign-in page or a 404 behind it. The page is the same for every visitor (kept in memory by
// the server), so the browser decides: the signed-in user (components/account/current-user.tsx)
// against the maintainers the page lists anyway. A convenience only: the manage pages check roles.
import Link from "next/link";
import { useCurrentUser } from "@/components/account/current-user";

export function ManageLink({ project, members }: { project: string; members: readonly string[] }) {
  const { user } = useCurrentUser();
  if (!user?.username || !members.includes(user.username)) return null;
  return (
    <div className="sidebar-section">
      <Link href={`/manage/project/${project}`} className="button button-secondary" data-testid="manage-link">
        Manage project
      </Link>
    </div>
  );
}

import type { Metadata } from "next";
import { cache } from "react";
import { notFound } from "next/navigation";
import { userProfile } from "@/lib/browse/pages";
import { UserProjectList } from "@/components/browse/user-project-list";
import { LocalTime } from "@/components/ui/local-time";

export const dynamic = "force-dynamic";

type Params = Promise<{ username: string }>;

const loadProfile = cache((username: string) => userProfile(username));

function usernameParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const profile = await loadProfile(usernameParam((await params).username));
  return { title: profile ? `Profile of ${profile.username}` : "User not found" };
}

export default async function UserPage({ params }: { params: Params }) {
  const profile = await loadProfile(usernameParam((await params).username));
  if (!profile) notFound();
  const count = profile.projects.length;
  return (
    <>
      <header className="profile-header" data-testid="user-profile">
        <span className="avatar" aria-hidden="true">
          {profile.username.slice(0, 1).toUpperCase()}
        </span>
        <div>
          <h1 data-testid="username">{profile.username}</h1>
          <p className="muted">
            Joined <LocalTime date={profile.joined} /> · {count} {count === 1 ? "project" : "projects"}
          </p>
        </div>
      </header>
      <section className="card" aria-labelledby="user-projects-h">
        <h2 id="user-projects-h">Projects</h2>
        <UserProjectList projects={profile.projects} />
      </section>
    </>
  );
}

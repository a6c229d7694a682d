// Managing a project: members only (others get a 404, which reveals nothing); owners change things.
import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { currentSession } from "@/lib/accounts/current";
import { managedProject } from "@/lib/projects/manage";
import { normalizeName } from "@/lib/packaging/names";
import { ManageTabs } from "@/components/manage/manage-tabs";

export default async function ManageProjectLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ name: string }>;
}) {
  const { name } = await params;
  // Each page sends a signed-out visitor to sign in and back to that same page; a layout does not
  // know which subpage it wraps, so it only steps aside.
  const session = await currentSession();
  if (!session) return children;
  const project = await managedProject(normalizeName(name), session.user.id);
  if (!project) notFound();
  return (
    <>
      <p className="muted small">
        <Link href={`/project/${project.normalizedName}`}>← {project.name}</Link>
      </p>
      <h1>
        Manage {project.name}{" "}
        <span className="pill" data-testid="my-role">
          {project.role}
        </span>
      </h1>
      {project.role !== "owner" && (
        <p className="banner banner-warn">
          As a maintainer you can upload releases. Only owners manage collaborators, yank and delete.
        </p>
      )}
      {!session.user.twoFactorEnabled && (
        <p className="banner banner-warn">
          Enable two-factor authentication under <Link href="/account/security">Account → Security</Link> to make
          changes here.
        </p>
      )}
      <ManageTabs base={`/manage/project/${project.normalizedName}`} />
      {children}
    </>
  );
}

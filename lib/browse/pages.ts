// What the public pages show: site counts, recent projects, a project's page, a user's profile.
import "server-only";
import { db } from "@/lib/db/client";
import { normalizeName } from "../packaging/names";
import { getProjectDetail } from "../index-api/queries";
import type { ProjectDetail } from "../index-api/types";

export async function siteCounts(): Promise<{ projects: number; releases: number; users: number }> {
  const [projects, releases, users] = await Promise.all([
    db().project.count(),
    db().release.count(),
    db().user.count(),
  ]);
  return { projects, releases, users };
}

export async function recentProjects(
  limit = 10,
): Promise<{ name: string; version: string | null; summary: string | null; updatedAt: Date }[]> {
  return db()
    .project.findMany({
      where: { latestVersion: { not: null } },
      orderBy: { updatedAt: "desc" },
      take: limit,
      select: { name: true, latestVersion: true, summary: true, updatedAt: true },
    })
    .then((rows) =>
      rows.map((r) => ({ name: r.name, version: r.latestVersion, summary: r.summary, updatedAt: r.updatedAt })),
    );
}

export interface ProjectPage extends ProjectDetail {
  maintainers: { username: string; role: string }[];
  requireTwoFactor: boolean;
}

/** A project's public page data, or null; `normalizedName` must already be normalised. */
export async function projectPage(normalizedName: string): Promise<ProjectPage | null> {
  const [detail, project] = await Promise.all([
    getProjectDetail(normalizedName),
    db().project.findUnique({
      where: { normalizedName },
      select: {
        requireTwoFactor: true,
        roles: { select: { role: true, user: { select: { username: true } } }, orderBy: { createdAt: "asc" } },
      },
    }),
  ]);
  if (!detail || !project) return null;
  return {
    ...detail,
    requireTwoFactor: project.requireTwoFactor,
    maintainers: project.roles.map((r) => ({ username: r.user.username, role: r.role })),
  };
}

export async function userProfile(username: string): Promise<{
  username: string;
  joined: Date;
  projects: { name: string; version: string | null; summary: string | null; role: string }[];
} | null> {
  const user = await db().user.findUnique({
    where: { usernameKey: username.toLowerCase() },
    select: {
      username: true,
      createdAt: true,
      roles: { select: { role: true, project: { select: { name: true, latestVersion: true, summary: true } } } },
    },
  });
  if (!user) return null;
  return {
    username: user.username,
    joined: user.createdAt,
    projects: user.roles
      .map((r) => ({
        name: r.project.name,
        version: r.project.latestVersion,
        summary: r.project.summary,
        role: r.role,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** The project a requirement string names ("requests[socks]>=2; python_version<'3.8'" → "requests"). */
export function requirementProject(requirement: string): string | null {
  const match = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement);
  return match ? normalizeName(match[1]!) : null;
}

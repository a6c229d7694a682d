// What the public pages show: site counts, recent projects, a project's page, a user's profile.
import "server-only";
import { db, pool } from "@/lib/db/client";
import { normalizeName } from "../packaging/names";
import { RELEASES_JSON_SQL, releasesFromJson, type ReleasesJson } from "../index-api/queries";
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

/** A project's public page data, or null; `normalizedName` must already be normalised. One statement. */
export async function projectPage(normalizedName: string): Promise<ProjectPage | null> {
  const { rows } = await pool().query<{
    name: string;
    last_serial: string;
    require_two_factor: boolean;
    maintainers: ProjectPage["maintainers"];
    releases: ReleasesJson;
  }>({
    name: "project-page",
    text: `SELECT p.name, p.last_serial, p.require_two_factor,
        COALESCE((SELECT json_agg(json_build_object('username', u.username, 'role', pr.role) ORDER BY pr.created_at)
          FROM project_roles pr JOIN users u ON u.id = pr.user_id WHERE pr.project_id = p.id), '[]') AS maintainers,
        ${RELEASES_JSON_SQL} AS releases
      FROM projects p WHERE p.normalized_name = $1`,
    values: [normalizedName],
  });
  const project = rows[0];
  if (!project) return null;
  return {
    name: project.name,
    normalizedName,
    lastSerial: Number(project.last_serial),
    releases: releasesFromJson(project.releases),
    requireTwoFactor: project.require_two_factor,
    maintainers: project.maintainers,
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

// API tokens for twine: "wheelhouse-" + 256 random bits, stored only as a sha256, scoped to all of
// a user's projects or a chosen few, optionally expiring. The prefix lets secret scanners find them.
import "server-only";
import { db } from "@/lib/db/client";
import { config } from "@/lib/config";
import { randomToken, sha256Hex } from "@/lib/security/tokens";
import { recordEvent } from "@/lib/accounts/events";
import { notifyUser } from "@/lib/accounts/notify";
import type { RequestInfo } from "@/lib/http/request-info";
import { accountSelect, toAccount, type Account } from "@/lib/accounts/account";

export const TOKEN_PREFIX = "wheelhouse-";
export const DEFAULT_EXPIRY_DAYS = 90;
const TOKEN_SHAPE = /^wheelhouse-[A-Za-z0-9_-]{43}$/;

export type TokenOwner = Account;

/** The start of a token that settings show to tell tokens apart ("wheelhouse-" and 4 characters). */
const prefixOf = (token: string) => token.slice(0, TOKEN_PREFIX.length + 4);

/** The shown prefix of a presented string shaped like a token, or null when it is not one. */
export function presentedPrefix(presented: string): string | null {
  return TOKEN_SHAPE.test(presented) ? prefixOf(presented) : null;
}

/** Why `user` may not hold upload tokens under this server's policy, or null when they may. */
export function tokenPolicyProblem(user: Pick<TokenOwner, "emailVerified" | "twoFactorEnabled">): string | null {
  if (!user.emailVerified) return "Verify your email address before creating API tokens or publishing.";
  if (config().WHEELHOUSE_REQUIRE_2FA && !user.twoFactorEnabled) {
    return "This Wheelhouse requires two-factor authentication for publishing: enable it under Account settings > Security first.";
  }
  return null;
}

export interface NewToken {
  name: string;
  /** null: every project the user may upload to. */
  projectIds: string[] | null;
  expiresAt: Date | null;
}

export async function createApiToken(
  user: TokenOwner,
  input: NewToken,
  info: RequestInfo,
): Promise<{ ok: true; token: string; id: string } | { ok: false; message: string }> {
  const problem = tokenPolicyProblem(user);
  if (problem) return { ok: false, message: problem };
  let scopeNames: string[] | null = null;
  if (input.projectIds) {
    if (!input.projectIds.length) return { ok: false, message: "Choose at least one project, or scope the token to all projects." };
    const owned = await db().projectRole.findMany({
      where: { userId: user.id, projectId: { in: input.projectIds } },
      select: { project: { select: { name: true } } },
    });
    if (owned.length !== new Set(input.projectIds).size) return { ok: false, message: "You can only scope a token to projects you maintain." };
    scopeNames = owned.map((r) => r.project.name).sort();
  }
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  const created = await db().apiToken.create({
    data: {
      userId: user.id,
      name: input.name,
      tokenHash: sha256Hex(token),
      prefix: prefixOf(token),
      allProjects: input.projectIds === null,
      expiresAt: input.expiresAt,
      projects: input.projectIds ? { create: [...new Set(input.projectIds)].map((projectId) => ({ projectId })) } : undefined,
    },
    select: { id: true },
  });
  await recordEvent(user.id, "token:created", info, { name: input.name, scope: scopeNames ? "projects" : "all", projects: scopeNames?.join(", ") ?? null });
  await notifyUser(user.id, `an API token named "${input.name}" was created`, { info, act: "/account/tokens" });
  return { ok: true, token, id: created.id };
}

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  allProjects: boolean;
  projects: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
}

export async function listApiTokens(userId: string): Promise<TokenView[]> {
  const rows = await db().apiToken.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    include: { projects: { include: { project: { select: { name: true } } } } },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    allProjects: r.allProjects,
    projects: r.projects.map((p) => p.project.name).sort(),
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    lastUsedAt: r.lastUsedAt,
    lastUsedIp: r.lastUsedIp,
  }));
}

export async function revokeApiToken(user: TokenOwner, tokenId: string, info: RequestInfo): Promise<boolean> {
  const token = await db().apiToken.findFirst({ where: { id: tokenId, userId: user.id }, select: { name: true } });
  if (!token) return false;
  // Revoked twice at once (a double click), only the request that deleted it records and tells.
  const { count } = await db().apiToken.deleteMany({ where: { id: tokenId, userId: user.id } });
  if (count === 0) return false;
  await recordEvent(user.id, "token:revoked", info, { name: token.name });
  await notifyUser(user.id, `the API token "${token.name}" was revoked`, { info, act: "/account/tokens" });
  return true;
}

export interface AuthenticatedToken {
  id: string;
  allProjects: boolean;
  projectIds: string[];
  user: TokenOwner;
}

export type TokenCheck = { ok: true; token: AuthenticatedToken } | { ok: false; reason: "invalid" | "expired"; expiredAt?: Date };

/** Looks a presented token up by its hash; expiry is checked here, scope by the caller. */
export async function authenticateToken(presented: string, now = new Date()): Promise<TokenCheck> {
  if (!TOKEN_SHAPE.test(presented)) return { ok: false, reason: "invalid" };
  const row = await db().apiToken.findUnique({
    where: { tokenHash: sha256Hex(presented) },
    include: {
      projects: { select: { projectId: true } },
      user: { select: accountSelect },
    },
  });
  if (!row) return { ok: false, reason: "invalid" };
  if (row.expiresAt && row.expiresAt <= now) return { ok: false, reason: "expired", expiredAt: row.expiresAt };
  return {
    ok: true,
    token: {
      id: row.id,
      allProjects: row.allProjects,
      projectIds: row.projects.map((p) => p.projectId),
      user: toAccount(row.user),
    },
  };
}

export async function markTokenUsed(tokenId: string, ip: string | null): Promise<void> {
  await db().apiToken.updateMany({ where: { id: tokenId }, data: { lastUsedAt: new Date(), lastUsedIp: ip } });
}

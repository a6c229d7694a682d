// API tokens for twine: "wheelhouse-" + 256 random bits, stored only as a sha256, scoped to all of
// a user's projects or a chosen few, optionally expiring. The prefix lets secret scanners find them.
import "server-only";
import { db } from "@/lib/db/client";
import { randomToken, sha256Hex } from "@/lib/security/tokens";
import { recordEventIn } from "@/lib/accounts/events";
import { sendQueued } from "@/lib/email/outbox";
import type { RequestInfo } from "@/lib/http/request-info";
import { accountSelect, toAccount, type Account } from "@/lib/accounts/account";
import type { ActiveSession } from "@/lib/accounts/sessions";
import { decide, tokenCoversNothing, type Reason } from "@/lib/authz/policy";
import { accountRefusal, actorFacts, sitePolicy } from "@/lib/authz/facts";

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

/**
 * Who asks for a token: a session, which must have confirmed it is its user (sudo), or the
 * operator's command line (scripts/admin.ts) on the user's behalf: sudo guards against a stolen
 * cookie, and whoever runs the command line holds the database already.
 */
export type TokenRequester = Pick<ActiveSession, "user" | "sudoUntil"> | { user: TokenOwner; operator: true };

/** Why `requester` may not create a token (lib/authz/policy.ts), or null when they may. */
export function tokenCreationRefusal(requester: TokenRequester, now = new Date()): Reason | null {
  if (!("operator" in requester)) return accountRefusal("account:token:create", requester, now);
  const decision = decide("account:token:create", {
    actor: { ...actorFacts(requester.user), inSudo: true },
    site: sitePolicy(),
  });
  return decision.allowed ? null : decision.reason;
}

export interface NewToken {
  name: string;
  /** null: every project the user may upload to. */
  projectIds: string[] | null;
  expiresAt: Date | null;
}

export async function createApiToken(
  requester: TokenRequester,
  input: NewToken,
  info: RequestInfo,
): Promise<{ ok: true; token: string; id: string } | { ok: false; message: string } | { ok: false; refused: Reason }> {
  const refused = tokenCreationRefusal(requester);
  if (refused) return { ok: false, refused };
  const user = requester.user;
  let scopeNames: string[] | null = null;
  if (input.projectIds) {
    if (!input.projectIds.length)
      return { ok: false, message: "Choose at least one project, or scope the token to all projects." };
    const owned = await db().projectRole.findMany({
      where: { userId: user.id, projectId: { in: input.projectIds } },
      select: { project: { select: { name: true } } },
    });
    if (owned.length !== new Set(input.projectIds).size)
      return { ok: false, message: "You can only scope a token to projects you maintain." };
    scopeNames = owned.map((r) => r.project.name).sort();
  }
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  // The token, its history row and its email commit together: no token the owner is not told about.
  const created = await db().$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        userId: user.id,
        name: input.name,
        tokenHash: sha256Hex(token),
        prefix: prefixOf(token),
        allProjects: input.projectIds === null,
        expiresAt: input.expiresAt,
        projects: input.projectIds
          ? { create: [...new Set(input.projectIds)].map((projectId) => ({ projectId })) }
          : undefined,
      },
      select: { id: true },
    });
    const mail = await recordEventIn(tx, user.id, "token:created", info, {
      name: input.name,
      scope: scopeNames ? "projects" : "all",
      projects: scopeNames?.join(", ") ?? null,
    });
    return { id: row.id, mail };
  });
  sendQueued(created.mail);
  return { ok: true, token, id: created.id };
}

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  allProjects: boolean;
  projects: string[];
  /** Scoped to projects that were all deleted since: it can no longer be used for anything. */
  scopeGone: boolean;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
}

export async function listApiTokens(userId: string): Promise<TokenView[]> {
  // One statement (Prisma's nested include sends three): the tokens page reads it on every view.
  const rows = await db().$queryRaw<Omit<TokenView, "scopeGone">[]>`
    SELECT t.id, t.name, t.prefix, t.all_projects AS "allProjects", t.created_at AS "createdAt",
           t.expires_at AS "expiresAt", t.last_used_at AS "lastUsedAt", t.last_used_ip AS "lastUsedIp",
           coalesce(array_agg(p.name) FILTER (WHERE p.name IS NOT NULL), '{}') AS projects
    FROM api_tokens t
    LEFT JOIN api_token_projects tp ON tp.token_id = t.id
    LEFT JOIN projects p ON p.id = tp.project_id
    WHERE t.user_id = ${userId}::uuid
    GROUP BY t.id
    ORDER BY t.created_at DESC`;
  return rows.map((r) => ({
    ...r,
    projects: [...r.projects].sort(),
    // Scoped tokens lose a project's row when it is deleted: none left, the token covers nothing.
    scopeGone: tokenCoversNothing({ allProjects: r.allProjects, projectIds: r.projects }),
  }));
}

export async function revokeApiToken(user: TokenOwner, tokenId: string, info: RequestInfo): Promise<boolean> {
  const token = await db().apiToken.findFirst({ where: { id: tokenId, userId: user.id }, select: { name: true } });
  if (!token) return false;
  // Revoked twice at once (a double click), only the request that deleted it records and tells.
  const mail = await db().$transaction(async (tx) => {
    const { count } = await tx.apiToken.deleteMany({ where: { id: tokenId, userId: user.id } });
    return count ? recordEventIn(tx, user.id, "token:revoked", info, { name: token.name }) : null;
  });
  if (!mail) return false;
  sendQueued(mail);
  return true;
}

export interface AuthenticatedToken {
  id: string;
  allProjects: boolean;
  projectIds: string[];
  expiresAt: Date | null;
  user: TokenOwner;
}

export type TokenCheck = { ok: true; token: AuthenticatedToken } | { ok: false; reason: "invalid" };

/** Looks a presented token up by its hash; what it may do, expiry included, is lib/authz/policy.ts's to say. */
export async function authenticateToken(presented: string): Promise<TokenCheck> {
  if (!TOKEN_SHAPE.test(presented)) return { ok: false, reason: "invalid" };
  const row = await db().apiToken.findUnique({
    where: { tokenHash: sha256Hex(presented) },
    include: {
      projects: { select: { projectId: true } },
      user: { select: accountSelect },
    },
  });
  if (!row) return { ok: false, reason: "invalid" };
  return {
    ok: true,
    token: {
      id: row.id,
      allProjects: row.allProjects,
      projectIds: row.projects.map((p) => p.projectId),
      expiresAt: row.expiresAt,
      user: toAccount(row.user),
    },
  };
}

export async function markTokenUsed(tokenId: string, ip: string | null): Promise<void> {
  await db().apiToken.updateMany({ where: { id: tokenId }, data: { lastUsedAt: new Date(), lastUsedIp: ip } });
}

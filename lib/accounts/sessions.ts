// Database sessions: the browser holds a random token, the table holds its sha256. A pending_2fa
// session only lets its holder finish the second-factor step; a full one is signed in.
import "server-only";
import { db, pool, type Prisma } from "@/lib/db/client";
import { config } from "@/lib/config";
import { randomToken, sha256Hex } from "@/lib/security/tokens";
import type { RequestInfo } from "@/lib/http/request-info";
import { toAccount, type Account } from "./account";

export type SessionStage = "pending_2fa" | "full";

export const PENDING_TTL_MS = 5 * 60 * 1000;
/** How long a confirmation (lib/accounts/sudo.ts) unlocks sensitive changes. */
export const SUDO_TTL_MS = 15 * 60 * 1000;
/** lastSeenAt is written at most this often, so reads stay reads. */
const TOUCH_EVERY_MS = 60 * 1000;

const idleMs = () => config().SESSION_IDLE_HOURS * 3600 * 1000;

export interface ActiveSession {
  idHash: string;
  stage: SessionStage;
  createdAt: Date;
  sudoUntil: Date | null;
  user: Account;
}

/**
 * Opens a session in `tx`, the transaction of the sign-in that earns it (its history row and mail
 * commit with it, or neither does), and returns the token for the cookie; only its hash is stored.
 */
export async function openSession(
  tx: Prisma.TransactionClient,
  userId: string,
  stage: SessionStage,
  info: RequestInfo | null,
  now = new Date(),
): Promise<string> {
  const token = randomToken(32);
  await tx.session.create({
    data: {
      idHash: sha256Hex(token),
      userId,
      stage,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + (stage === "pending_2fa" ? PENDING_TTL_MS : idleMs())),
      ip: info?.ip ?? null,
      userAgent: info?.userAgent ?? null,
    },
  });
  return token;
}

/**
 * Spends the pending_2fa session `pendingIdHash` and opens a full one in its place, in `tx`: a new
 * id, so a token planted before the second factor signs nobody in. Null when the pending session
 * is gone (expired, signed out, used by a racing request): then nothing may be opened.
 */
export async function promoteSession(
  tx: Prisma.TransactionClient,
  pendingIdHash: string,
  userId: string,
  info: RequestInfo,
  now = new Date(),
): Promise<string | null> {
  const { count } = await tx.session.deleteMany({
    where: { idHash: pendingIdHash, userId, stage: "pending_2fa", expiresAt: { gt: now } },
  });
  return count === 1 ? openSession(tx, userId, "full", info, now) : null;
}

type SessionRow = Parameters<typeof toAccount>[0] & {
  stage: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  sudoUntil: Date | null;
};

/**
 * The live session for a cookie token, or null (unknown, revoked, idle too long, pending too long).
 * Expired rows are deleted on sight; a full session's idle clock restarts on use.
 */
export async function resolveSession(
  token: string | undefined | null,
  now = new Date(),
): Promise<ActiveSession | null> {
  if (!token || token.length > 100) return null;
  const idHash = sha256Hex(token);
  // One statement in plain SQL through the process's pool: every signed-in page view asks this (the
  // edge's /_includes/current-user included), and Prisma's query building and mapping cost ~1 ms of
  // CPU per call there, several times the lookup itself. The user's columns are those of accountSelect.
  const {
    rows: [row],
  } = await pool().query<SessionRow>({
    name: "resolve-session",
    text: `SELECT s.stage, s.created_at AS "createdAt", s.last_seen_at AS "lastSeenAt", s.expires_at AS "expiresAt",
        s.sudo_until AS "sudoUntil", u.id, u.username, u.email, u.email_verified_at AS "emailVerifiedAt",
        u.two_factor_enabled_at AS "twoFactorEnabledAt"
      FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`,
    values: [idHash],
  });
  if (!row) return null;
  if (row.expiresAt <= now) {
    await db().session.deleteMany({ where: { idHash } });
    return null;
  }
  if (row.stage === "full" && now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    await db().session.updateMany({
      where: { idHash },
      data: { lastSeenAt: now, expiresAt: new Date(now.getTime() + idleMs()) },
    });
  }
  return {
    idHash,
    stage: row.stage as SessionStage,
    createdAt: row.createdAt,
    sudoUntil: row.sudoUntil,
    user: toAccount(row),
  };
}

/**
 * The session if it is signed in, else null: a pending_2fa session is nobody yet. The one rule for
 * pages (lib/accounts/current.ts) and the edge's /_includes/current-user (server/fast/current-user.ts).
 */
export function signedIn(session: ActiveSession | null): ActiveSession | null {
  return session?.stage === "full" ? session : null;
}

/** Ends every session of a user, or all but one, in `tx` (the change's transaction); returns how many ended. */
export async function revokeUserSessions(
  userId: string,
  options: { exceptIdHash?: string } = {},
  tx: Prisma.TransactionClient = db(),
): Promise<number> {
  const { count } = await tx.session.deleteMany({
    where: { userId, ...(options.exceptIdHash ? { idHash: { not: options.exceptIdHash } } : {}) },
  });
  return count;
}

export interface SessionView {
  idHash: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export async function listSessions(userId: string, now = new Date()): Promise<SessionView[]> {
  return db().session.findMany({
    where: { userId, stage: "full", expiresAt: { gt: now } },
    orderBy: { lastSeenAt: "desc" },
    select: { idHash: true, createdAt: true, lastSeenAt: true, ip: true, userAgent: true },
  });
}

export async function setSudoUntil(idHash: string, until: Date, tx: Prisma.TransactionClient = db()): Promise<void> {
  await tx.session.updateMany({ where: { idHash, stage: "full" }, data: { sudoUntil: until } });
}

/** Whether the session confirmed its identity recently; domain functions for sensitive changes check it themselves. */
export function inSudoMode(session: Pick<ActiveSession, "sudoUntil">, now = new Date()): boolean {
  return session.sudoUntil !== null && session.sudoUntil > now;
}

// Account lifecycle: sign-up, email verification and change, password change. Returns plain objects,
// never rows with hashes or secrets.
import "server-only";
import { db, Prisma } from "@/lib/db/client";
import { config } from "@/lib/config";
import { randomToken, sha256Hex } from "@/lib/security/tokens";
import { hashPassword, verifyPassword } from "./passwords";
import { emailKey, passwordProblem, usernameKey } from "./rules";
import { recordEvent } from "./events";
import { revokeUserSessions } from "./sessions";
import { sendMail } from "@/lib/email/mailer";
import { emails } from "@/lib/email/templates";
import type { RequestInfo } from "@/lib/http/request-info";
import type { ErrorCode } from "@/lib/errors";
import { accountSelect, toAccount, type Account } from "./account";

export const VERIFY_EMAIL_TTL_MS = 24 * 3600 * 1000;

export interface PublicUser extends Account {
  createdAt: Date;
}

const publicSelect = { ...accountSelect, createdAt: true } as const;

function toPublic(u: Prisma.UserGetPayload<{ select: typeof publicSelect }>): PublicUser {
  return { ...toAccount(u), createdAt: u.createdAt };
}

export type Result<T, F extends string = string> =
  | ({ ok: true } & T)
  | { ok: false; code?: ErrorCode; fieldErrors?: Partial<Record<F, string>> };

export async function findUserByUsername(username: string): Promise<PublicUser | null> {
  const u = await db().user.findUnique({ where: { usernameKey: usernameKey(username) }, select: publicSelect });
  return u ? toPublic(u) : null;
}

export async function findUserById(id: string): Promise<PublicUser | null> {
  const u = await db().user.findUnique({ where: { id }, select: publicSelect });
  return u ? toPublic(u) : null;
}

/** Looks an account up by username or email, as typed on the sign-in form. */
export async function findLoginCandidate(login: string): Promise<{ id: string; passwordHash: string } | null> {
  const key = login.trim().toLowerCase();
  return db().user.findFirst({
    where: key.includes("@") ? { emailKey: key } : { usernameKey: key },
    select: { id: true, passwordHash: true },
  });
}

/** Inputs must already be shaped by the rules' zod schemas; this checks strength and uniqueness. */
export async function createUser(
  input: { username: string; email: string; password: string; verified?: boolean },
  info: RequestInfo | null,
): Promise<Result<{ user: PublicUser }, "username" | "email" | "password">> {
  const weak = passwordProblem(input.password, [input.username, input.email]);
  if (weak) return { ok: false, fieldErrors: { password: weak } };
  // A deleted account's name is never given out again (lib/accounts/delete-account.ts).
  if (await db().prohibitedUsername.findUnique({ where: { usernameKey: usernameKey(input.username) } })) {
    return { ok: false, fieldErrors: { username: "This username is not available. Choose another one." } };
  }
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db().$transaction(async (tx) => {
      const created = await tx.user.create({
        data: {
          username: input.username,
          usernameKey: usernameKey(input.username),
          email: input.email,
          emailKey: emailKey(input.email),
          passwordHash,
          emailVerifiedAt: input.verified ? new Date() : null,
        },
        select: publicSelect,
      });
      await tx.securityEvent.create({
        data: { userId: created.id, tag: "account:created", ip: info?.ip ?? null, userAgent: info?.userAgent ?? null },
      });
      return created;
    });
    return { ok: true, user: toPublic(user) };
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const target = JSON.stringify(err.meta ?? {});
      return target.includes("email")
        ? { ok: false, fieldErrors: { email: "This email address is already used by another account." } }
        : { ok: false, fieldErrors: { username: "This username is already taken. Choose another one." } };
    }
    throw err;
  }
}

/** Emails a single-use, 24-hour link that verifies `email` (the current address, or a new one). */
export async function sendEmailVerification(userId: string, email: string): Promise<void> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { username: true } });
  const token = randomToken(32);
  await db().emailToken.create({
    data: {
      tokenHash: sha256Hex(token),
      userId,
      purpose: "verify_email",
      email,
      expiresAt: new Date(Date.now() + VERIFY_EMAIL_TTL_MS),
    },
  });
  await sendMail(emails.verifyEmail(email, user.username, `${config().baseUrl}/account/verify-email?token=${token}`));
}

/** Consumes a verification link. A link for a new address also switches the account to it. */
export async function verifyEmailToken(
  token: string,
  info: RequestInfo,
  now = new Date(),
): Promise<Result<{ email: string }>> {
  if (!token || token.length > 100) return { ok: false, code: "link_invalid" };
  const tokenHash = sha256Hex(token);
  return db().$transaction(async (tx) => {
    // Deleting first makes the link single-use even when two requests race.
    const found = await tx.emailToken.findUnique({ where: { tokenHash } });
    if (!found || found.purpose !== "verify_email") return { ok: false as const, code: "link_invalid" as const };
    await tx.emailToken.delete({ where: { tokenHash } });
    if (found.expiresAt <= now) return { ok: false as const, code: "link_invalid" as const };
    const user = await tx.user.findUniqueOrThrow({ where: { id: found.userId } });
    const changing = emailKey(found.email) !== user.emailKey;
    if (changing) {
      const clash = await tx.user.findUnique({ where: { emailKey: emailKey(found.email) } });
      if (clash) return { ok: false as const, code: "email_taken" as const };
    }
    await tx.user.update({
      where: { id: user.id },
      data: { email: found.email, emailKey: emailKey(found.email), emailVerifiedAt: now },
    });
    // Older links for this account (e.g. to a previous address) stop working once one is used.
    await tx.emailToken.deleteMany({ where: { userId: user.id, purpose: "verify_email" } });
    await tx.securityEvent.create({
      data: {
        userId: user.id,
        tag: changing ? "account:email-changed" : "account:email-verified",
        ip: info.ip,
        userAgent: info.userAgent,
        details: changing ? { from: user.email, to: found.email } : { email: found.email },
      },
    });
    return { ok: true as const, email: found.email };
  });
}

/** Checks the current password of a signed-in user (for settings forms). */
export async function checkPassword(userId: string, password: string): Promise<boolean> {
  const u = await db().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return verifyPassword(u?.passwordHash ?? null, password);
}

export async function requestEmailChange(
  userId: string,
  newEmail: string,
  info: RequestInfo,
): Promise<Result<object, "email">> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  if (emailKey(newEmail) === user.emailKey) return { ok: false, fieldErrors: { email: "This is already your email address." } };
  const clash = await db().user.findUnique({ where: { emailKey: emailKey(newEmail) } });
  if (clash) return { ok: false, fieldErrors: { email: "This email address is already used by another account." } };
  await sendEmailVerification(userId, newEmail);
  await recordEvent(userId, "account:email-change-requested", info, { to: newEmail });
  await sendMail(emails.emailChangedNotice(user.email, user.username, newEmail));
  return { ok: true };
}

/** Sets a new password and signs out every other session (all of them when `keepIdHash` is absent). */
export async function changePassword(
  userId: string,
  newPassword: string,
  info: RequestInfo,
  keepIdHash?: string,
): Promise<Result<object, "newPassword">> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  const weak = passwordProblem(newPassword, [user.username, user.email]);
  if (weak) return { ok: false, fieldErrors: { newPassword: weak } };
  await db().user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(newPassword), passwordChangedAt: new Date() },
  });
  const revoked = await revokeUserSessions(userId, { exceptIdHash: keepIdHash });
  await recordEvent(userId, "account:password-changed", info, { sessionsRevoked: revoked });
  await sendMail(emails.passwordChanged(user.email, user.username));
  return { ok: true };
}

export interface UserListing {
  username: string;
  email: string;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  createdAt: Date;
  sessions: number;
}

export async function listUsers(): Promise<UserListing[]> {
  const rows = await db().user.findMany({
    orderBy: { createdAt: "asc" },
    select: { ...publicSelect, _count: { select: { sessions: true } } },
  });
  return rows.map((r) => ({ ...toPublic(r), sessions: r._count.sessions }));
}

export async function markEmailVerified(userId: string, info: RequestInfo | null): Promise<void> {
  await db().user.update({ where: { id: userId }, data: { emailVerifiedAt: new Date() } });
  await recordEvent(userId, "account:email-verified", info, { by: "admin" });
}

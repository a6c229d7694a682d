// Account lifecycle: sign-up, email verification and change, password change. Returns plain objects,
// never rows with hashes or secrets.
import "server-only";
import { db, Prisma } from "@/lib/db/client";
import { config } from "@/lib/config";
import { sha256Hex } from "@/lib/security/tokens";
import { confusableSkeleton } from "@/lib/packaging/names";
import { hashPassword, verifyPassword } from "./passwords";
import { emailKey, passwordProblem, usernameKey } from "./rules";
import { issueLink, voidOutstandingLinks } from "./email-links";
import { historyRow, recordEventIn } from "./events";
import { openSession, revokeUserSessions, type ActiveSession } from "./sessions";
import { accountRefusalCode } from "@/lib/authz/facts";
import { queueMail, sendQueued } from "@/lib/email/outbox";
import { emails } from "@/lib/email/templates";
import type { RequestInfo } from "@/lib/http/request-info";
import type { ErrorCode } from "@/lib/errors";
import { hitLimit, LIMITS } from "@/lib/security/rate-limit";
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
  ({ ok: true } & T) | { ok: false; code?: ErrorCode; retryAt?: Date; fieldErrors?: Partial<Record<F, string>> };

export async function findUserByUsername(username: string): Promise<PublicUser | null> {
  const u = await db().user.findUnique({ where: { usernameKey: usernameKey(username) }, select: publicSelect });
  return u ? toPublic(u) : null;
}

export async function findUserById(id: string): Promise<PublicUser | null> {
  const u = await db().user.findUnique({ where: { id }, select: publicSelect });
  return u ? toPublic(u) : null;
}

/**
 * Looks an account up by username or email address, as typed on the sign-in or reset form. An
 * address counts only once verified: anyone can type someone else's address at sign-up, and that
 * must not make the account reachable (or resettable) through it.
 */
export async function findLoginCandidate(login: string): Promise<{
  id: string;
  username: string;
  passwordHash: string;
  verifiedEmail: string | null;
  twoFactorOn: boolean;
} | null> {
  const key = login.trim().toLowerCase();
  const user = await db().user.findUnique({
    where: key.includes("@") ? { verifiedEmailKey: key } : { usernameKey: key },
    select: {
      id: true,
      username: true,
      passwordHash: true,
      email: true,
      emailVerifiedAt: true,
      twoFactorEnabledAt: true,
    },
  });
  if (!user) return null;
  return {
    id: user.id,
    username: user.username,
    passwordHash: user.passwordHash,
    verifiedEmail: user.emailVerifiedAt ? user.email : null,
    twoFactorOn: user.twoFactorEnabledAt !== null,
  };
}

/** The columns that hold an address; `verifiedEmailKey` is set only while it is verified. */
function addressColumns(email: string, verifiedAt: Date | null) {
  return {
    email,
    emailKey: emailKey(email),
    emailVerifiedAt: verifiedAt,
    verifiedEmailKey: verifiedAt ? emailKey(email) : null,
  };
}

const EMAIL_TAKEN = "This email address is already used by another account.";
const USERNAME_TAKEN = "This username is already taken. Choose another one.";
const USERNAME_LOOKALIKE =
  "This username reads too much like an existing one (l, I and 1, O and 0, rn and m look alike). Choose another one.";

/** Which unique key a P2002 (unique violation) hit, from Prisma's error metadata. */
function uniqueTarget(err: unknown): string | null {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError) || err.code !== "P2002") return null;
  return JSON.stringify(err.meta ?? {});
}

type NewAccountResult = Result<{ user: PublicUser; sessionToken?: string }, "username" | "email" | "password">;

/**
 * Inputs must already be shaped by the rules' zod schemas; this checks strength and uniqueness. The
 * account commits with its history, and as asked with the link and mail that verify its address
 * (`verifyByEmail`) and a first session (`signIn`, its token returned for the cookie), or none does.
 */
export async function createUser(
  input: { username: string; email: string; password: string; verified?: boolean },
  info: RequestInfo | null,
  options: { verifyByEmail?: boolean; signIn?: boolean } = {},
): Promise<NewAccountResult> {
  const weak = passwordProblem(input.password, [input.username, input.email]);
  if (weak) return { ok: false, fieldErrors: { password: weak } };
  // A deleted account's name is never given out again (lib/accounts/delete-account.ts), nor one that reads like it.
  const prohibited = {
    OR: [{ usernameKey: usernameKey(input.username) }, { usernameSkeleton: confusableSkeleton(input.username) }],
  };
  if (await db().prohibitedUsername.findFirst({ where: prohibited, select: { usernameKey: true } })) {
    return { ok: false, fieldErrors: { username: "This username is not available. Choose another one." } };
  }
  // Only a verified address is taken: one that someone merely typed at sign-up blocks nobody.
  if (await db().user.findUnique({ where: { verifiedEmailKey: emailKey(input.email) }, select: { id: true } })) {
    return { ok: false, fieldErrors: { email: EMAIL_TAKEN } };
  }
  const passwordHash = await hashPassword(input.password);
  try {
    const { user, sessionToken, mail } = await db().$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          username: input.username,
          usernameKey: usernameKey(input.username),
          usernameSkeleton: confusableSkeleton(input.username),
          ...addressColumns(input.email, input.verified ? new Date() : null),
          passwordHash,
        },
        select: publicSelect,
      });
      await tx.securityEvent.create({ data: historyRow(user.id, "account:created", info) });
      const mail = options.verifyByEmail ? [await queueVerification(tx, user, user.email)] : [];
      if (!options.signIn) return { user, mail };
      const sessionToken = await openSession(tx, user.id, "full", info);
      return {
        user,
        sessionToken,
        mail: [...mail, ...(await recordEventIn(tx, user.id, "account:login-success", info))],
      };
    });
    sendQueued(mail);
    return { ok: true, user: toPublic(user), sessionToken };
  } catch (err) {
    // The unique keys decide, so two sign-ups racing for look-alike names cannot both win.
    const target = uniqueTarget(err);
    if (target === null) throw err;
    if (target.includes("email")) return { ok: false, fieldErrors: { email: EMAIL_TAKEN } };
    if (target.includes("skeleton")) return { ok: false, fieldErrors: { username: USERNAME_LOOKALIKE } };
    return { ok: false, fieldErrors: { username: USERNAME_TAKEN } };
  }
}

/**
 * Sign-up from the web: limited per address, then the account, its verification mail and its first
 * session, signed in straight away (`signInNewAccount` gives the browser `sessionToken`).
 */
export async function signUp(
  input: { username: string; email: string; password: string },
  info: RequestInfo,
): Promise<NewAccountResult> {
  const limited = await hitLimit(LIMITS.signupPerIp, info.ip ?? "unknown");
  if (limited.limited) return { ok: false, code: "rate_limited", retryAt: limited.retryAt };
  return createUser(input, info, { verifyByEmail: true, signIn: true });
}

/** Another verification link for the account's current address, a few an hour. */
export async function resendEmailVerification(user: Pick<Account, "id" | "email">): Promise<Result<object>> {
  const limited = await hitLimit(LIMITS.verifyEmailResend, user.id);
  if (limited.limited) return { ok: false, code: "rate_limited", retryAt: limited.retryAt };
  await sendEmailVerification(user.id, user.email);
  return { ok: true };
}

/**
 * Emails a single-use, 24-hour link that verifies `email` (the current address, or a new one).
 * With `voidOthers`, every other outstanding link of the account is voided in the same transaction;
 * `record` writes the history row (and its email) of the request in it too.
 */
export async function sendEmailVerification(
  userId: string,
  email: string,
  options: { voidOthers?: boolean; record?: (tx: Prisma.TransactionClient) => Promise<string[]> } = {},
): Promise<void> {
  const { username } = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { username: true } });
  const queued = await db().$transaction(async (tx) => {
    if (options.voidOthers) await voidOutstandingLinks(tx, userId);
    return [await queueVerification(tx, { id: userId, username }, email), ...((await options.record?.(tx)) ?? [])];
  });
  sendQueued(queued);
}

/** Issues the link that verifies `email` for `user` and queues its mail, in `tx`; returns the mail's id. */
async function queueVerification(
  tx: Prisma.TransactionClient,
  user: { id: string; username: string },
  email: string,
): Promise<string> {
  const token = await issueLink(user.id, "verify_email", email, VERIFY_EMAIL_TTL_MS, tx);
  const link = `${config().baseUrl}/account/verify-email?token=${token}`;
  return queueMail(tx, emails.verifyEmail(email, user.username, link));
}

export type EmailLinkView =
  | { state: "invalid" }
  | { state: "other_account" }
  | { state: "ready"; email: string; currentEmail: string; change: boolean };

async function findEmailLink(token: string, client: Prisma.TransactionClient | ReturnType<typeof db>) {
  if (!token || token.length > 100) return null;
  const found = await client.emailToken.findUnique({ where: { tokenHash: sha256Hex(token) } });
  return found?.purpose === "verify_email" ? found : null;
}

/**
 * What a verification link would do, for the page that asks to confirm it. Opening a link changes
 * nothing (mail scanners prefetch links); only its owner's confirmation does (`confirmEmailLink`).
 */
export async function describeEmailLink(token: string, viewerId: string, now = new Date()): Promise<EmailLinkView> {
  const found = await findEmailLink(token, db());
  if (!found || found.expiresAt <= now) return { state: "invalid" };
  if (found.userId !== viewerId) return { state: "other_account" };
  const user = await db().user.findUniqueOrThrow({ where: { id: viewerId }, select: { email: true, emailKey: true } });
  return {
    state: "ready",
    email: found.email,
    currentEmail: user.email,
    change: emailKey(found.email) !== user.emailKey,
  };
}

/**
 * Applies a verification link on its owner's explicit confirmation: verifies the address, and for a
 * link to a new address, switches the account to it and voids every other outstanding link (those
 * sent to the old address included). Another account's link is refused and stays usable.
 */
export async function confirmEmailLink(
  token: string,
  userId: string,
  info: RequestInfo,
  now = new Date(),
): Promise<Result<{ email: string; changed: boolean }>> {
  try {
    const done = await db().$transaction(async (tx) => {
      const found = await findEmailLink(token, tx);
      if (!found) return { ok: false as const, code: "link_invalid" as const };
      if (found.userId !== userId) return { ok: false as const, code: "link_other_account" as const };
      // Deleting first makes the link single-use even when two confirmations race.
      const { count } = await tx.emailToken.deleteMany({ where: { tokenHash: found.tokenHash } });
      if (count !== 1 || found.expiresAt <= now) return { ok: false as const, code: "link_invalid" as const };
      const user = await tx.user.findUniqueOrThrow({
        where: { id: userId },
        select: { email: true, emailKey: true, username: true },
      });
      const changing = emailKey(found.email) !== user.emailKey;
      // The unique key on verifiedEmailKey settles a race for one address; this says so kindly.
      const clash = await tx.user.findFirst({
        where: { verifiedEmailKey: emailKey(found.email), id: { not: userId } },
      });
      if (clash) return { ok: false as const, code: "email_taken" as const };
      await tx.user.update({ where: { id: userId }, data: addressColumns(found.email, now) });
      if (changing) await voidOutstandingLinks(tx, userId);
      else
        await tx.emailToken.deleteMany({
          where: { userId, purpose: "verify_email", email: { equals: found.email, mode: "insensitive" } },
        });
      const mail = changing
        ? // Told at the old address, which the account just left: that is where an owner would notice.
          await recordEventIn(
            tx,
            userId,
            "account:email-changed",
            info,
            { from: user.email, to: found.email },
            { to: { email: user.email, username: user.username } },
          )
        : await recordEventIn(tx, userId, "account:email-verified", info, { email: found.email });
      return { ok: true as const, email: found.email, changed: changing, mail };
    });
    if (!done.ok) return done;
    sendQueued(done.mail);
    return { ok: true, email: done.email, changed: done.changed };
  } catch (err) {
    if (uniqueTarget(err)?.includes("email")) return { ok: false, code: "email_taken" };
    throw err;
  }
}

/**
 * A settings form's "current password", counted per account: a stolen session must not become
 * an unlimited password oracle.
 */
export async function confirmCurrentPassword(userId: string, password: string): Promise<Result<object>> {
  const limited = await hitLimit(LIMITS.passwordConfirmPerAccount, userId);
  if (limited.limited) return { ok: false, code: "rate_limited", retryAt: limited.retryAt };
  return (await checkPassword(userId, password)) ? { ok: true } : { ok: false, code: "wrong_password" };
}

/** Checks the current password of a signed-in user, without counting (sudo.ts counts its own). */
export async function checkPassword(userId: string, password: string): Promise<boolean> {
  const u = await db().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return verifyPassword(u?.passwordHash ?? null, password);
}

/** Sends a link to confirm `newEmail`; needs a fresh confirmation on the session. */
export async function requestEmailChange(
  session: ActiveSession,
  newEmail: string,
  info: RequestInfo,
  now = new Date(),
): Promise<Result<object, "email">> {
  const refused = accountRefusalCode("account:change", session, now);
  if (refused) return { ok: false, code: refused };
  const userId = session.user.id;
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  if (emailKey(newEmail) === user.emailKey)
    return { ok: false, fieldErrors: { email: "This is already your email address." } };
  const clash = await db().user.findUnique({ where: { verifiedEmailKey: emailKey(newEmail) } });
  if (clash) return { ok: false, fieldErrors: { email: EMAIL_TAKEN } };
  // Only the newest request's link works: an older one (perhaps to a mistyped address) is void.
  await sendEmailVerification(userId, newEmail, {
    voidOthers: true,
    record: (tx) => recordEventIn(tx, userId, "account:email-change-requested", info, { to: newEmail }),
  });
  return { ok: true };
}

/** Sets a new password and signs out every other session; needs a fresh confirmation on this one. */
export async function changePassword(
  session: ActiveSession,
  newPassword: string,
  info: RequestInfo,
  now = new Date(),
): Promise<Result<object, "newPassword">> {
  const refused = accountRefusalCode("account:change", session, now);
  if (refused) return { ok: false, code: refused };
  const userId = session.user.id;
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  const weak = passwordProblem(newPassword, [user.username, user.email]);
  if (weak) return { ok: false, fieldErrors: { newPassword: weak } };
  const passwordHash = await hashPassword(newPassword);
  const mail = await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash, passwordChangedAt: new Date() } });
    await voidOutstandingLinks(tx, userId);
    const revoked = await revokeUserSessions(userId, { exceptIdHash: session.idHash }, tx);
    return recordEventIn(tx, userId, "account:password-changed", info, { sessionsRevoked: revoked });
  });
  sendQueued(mail);
  return { ok: true };
}

export interface UserListing {
  username: string;
  email: string;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  createdAt: Date;
  sessions: number;
  securityKeys: number;
}

export async function listUsers(): Promise<UserListing[]> {
  const rows = await db().user.findMany({
    orderBy: { createdAt: "asc" },
    select: { ...publicSelect, _count: { select: { sessions: true, securityKeys: true } } },
  });
  return rows.map((r) => ({ ...toPublic(r), sessions: r._count.sessions, securityKeys: r._count.securityKeys }));
}

/** An operator's verification; refused when another account has verified the same address. */
export async function markEmailVerified(userId: string, info: RequestInfo | null): Promise<Result<object>> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  try {
    sendQueued(
      await db().$transaction(async (tx) => {
        await tx.user.update({ where: { id: userId }, data: addressColumns(user.email, new Date()) });
        return recordEventIn(tx, userId, "account:email-verified", info, { by: "admin" });
      }),
    );
  } catch (err) {
    if (uniqueTarget(err)?.includes("email")) return { ok: false, code: "email_taken" };
    throw err;
  }
  return { ok: true };
}

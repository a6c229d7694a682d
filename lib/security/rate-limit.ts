// Fixed-window counters in PostgreSQL, so that limits hold across restarts and across every
// Wheelhouse process. `now` is injectable for tests.
import "server-only";
import { db } from "@/lib/db/client";

export interface Limit {
  /** Namespaces the counter, e.g. "login:user". */
  name: string;
  max: number;
  windowSeconds: number;
}

/** Every guessable input's limit, in one place. */
export const LIMITS = {
  loginPerAccount: { name: "login:account", max: 10, windowSeconds: 15 * 60 },
  loginPerIp: { name: "login:ip", max: 50, windowSeconds: 15 * 60 },
  signupPerIp: { name: "signup:ip", max: 20, windowSeconds: 60 * 60 },
  verifyEmailResend: { name: "verify-email:account", max: 3, windowSeconds: 60 * 60 },
  passwordResetPerIp: { name: "password-reset:ip", max: 10, windowSeconds: 60 * 60 },
  passwordResetPerAccount: { name: "password-reset:account", max: 3, windowSeconds: 60 * 60 },
  totpPerAccount: { name: "2fa:account", max: 10, windowSeconds: 15 * 60 },
  totpPerIp: { name: "2fa:ip", max: 50, windowSeconds: 15 * 60 },
  /** Passkey sign-in prompts asked for by one address (each stores a challenge). */
  passkeyChallengePerIp: { name: "passkey-challenge:ip", max: 100, windowSeconds: 15 * 60 },
  sudoPerAccount: { name: "sudo:account", max: 10, windowSeconds: 15 * 60 },
  passwordConfirmPerAccount: { name: "password-confirm:account", max: 10, windowSeconds: 15 * 60 },
  uploadAuthPerIp: { name: "upload-auth:ip", max: 100, windowSeconds: 15 * 60 },
  uploadAuthPerToken: { name: "upload-auth:token", max: 20, windowSeconds: 15 * 60 },
} satisfies Record<string, Limit>;

export type RateLimitState = { limited: false } | { limited: true; retryAt: Date };

const key = (limit: Limit, subject: string) => `${limit.name}:${subject.toLowerCase()}`.slice(0, 200);

/** Whether `subject` has used up `limit`, without counting anything. */
export async function checkLimit(limit: Limit, subject: string, now = new Date()): Promise<RateLimitState> {
  const row = await db().rateLimit.findUnique({ where: { key: key(limit, subject) } });
  if (!row) return { limited: false };
  const retryAt = new Date(row.windowStart.getTime() + limit.windowSeconds * 1000);
  if (retryAt <= now || row.count < limit.max) return { limited: false };
  return { limited: true, retryAt };
}

/**
 * Counts one attempt atomically (one upsert, safe under concurrency) and says whether this attempt
 * is over the limit. Count first, then check the guess: checking first would let simultaneous
 * guesses all pass before any of them is counted.
 */
export async function hitLimit(limit: Limit, subject: string, now = new Date()): Promise<RateLimitState> {
  const windowFloor = new Date(now.getTime() - limit.windowSeconds * 1000);
  const rows = await db().$queryRaw<{ window_start: Date; count: number }[]>`
    INSERT INTO rate_limits (key, window_start, count) VALUES (${key(limit, subject)}, ${now}, 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limits.window_start <= ${windowFloor} THEN 1 ELSE rate_limits.count + 1 END,
      window_start = CASE WHEN rate_limits.window_start <= ${windowFloor} THEN ${now} ELSE rate_limits.window_start END
    RETURNING window_start, count`;
  const row = rows[0]!;
  if (row.count <= limit.max) return { limited: false };
  return { limited: true, retryAt: new Date(row.window_start.getTime() + limit.windowSeconds * 1000) };
}

/** Counts one attempt against several limits (e.g. per account and per IP); limited if any is exceeded. */
export async function attempt(limits: [Limit, string][], now = new Date()): Promise<RateLimitState> {
  let result: RateLimitState = { limited: false };
  for (const [limit, subject] of limits) {
    const state = await hitLimit(limit, subject, now);
    if (state.limited && (!result.limited || state.retryAt > result.retryAt)) result = state;
  }
  return result;
}

/** Gives back one counted attempt (an attempt counted up front that turned out to be legitimate). */
export async function refundLimit(limit: Limit, subject: string): Promise<void> {
  await db().$executeRaw`UPDATE rate_limits SET count = greatest(count - 1, 0) WHERE key = ${key(limit, subject)}`;
}

export async function clearLimit(limit: Limit, subject: string): Promise<void> {
  await db().rateLimit.deleteMany({ where: { key: key(limit, subject) } });
}

/** Drops counters whose window has passed; called opportunistically, never needed for correctness. */
export async function pruneLimits(olderThanSeconds = 24 * 3600, now = new Date()): Promise<void> {
  await db().rateLimit.deleteMany({
    where: { windowStart: { lt: new Date(now.getTime() - olderThanSeconds * 1000) } },
  });
}

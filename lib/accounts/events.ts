// The security history: one helper writes every event (named in lib/events/catalogue.ts) and queues
// its email in the same transaction, one query reads a user's page of them.
import "server-only";
import { db } from "@/lib/db/client";
import type { RequestInfo } from "@/lib/http/request-info";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newestFirst, pageOf } from "@/lib/events/history";
import { EVENTS, labelOf, type Details, type DetailsOf, type EventName } from "@/lib/events/catalogue";
import { sendQueued } from "@/lib/email/outbox";
import { notifyUser } from "./notify";

/**
 * How the actor's history stores a change: `recordEvent`, or inside a transaction `recordEventIn`
 * (`tx.securityEvent.create({ data })` for an event that never mails).
 */
export function historyRow<N extends EventName>(
  userId: string,
  name: N,
  info: RequestInfo | null,
  details?: DetailsOf<N>,
) {
  return {
    userId,
    tag: name,
    ip: info?.ip ?? null,
    userAgent: info?.userAgent ?? null,
    details: (details ?? undefined) as Prisma.InputJsonObject | undefined,
  };
}

interface RecordOptions {
  /** false when an earlier email already told them. */
  mail?: boolean;
  /** Another address to tell than the account's own (an email change tells the address it left). */
  to?: { email: string; username: string };
}

type DetailsArg<N extends EventName> =
  Details extends DetailsOf<N>
    ? [details?: DetailsOf<N>, options?: RecordOptions]
    : [details: DetailsOf<N>, options?: RecordOptions];

/**
 * Writes an event to `userId`'s security history and, for an account event the catalogue gives an
 * email, tells them (`mail: false` when an earlier email already did): both in one transaction,
 * the email queued in the outbox and sent once it commits.
 */
export async function recordEvent<N extends EventName>(
  userId: string,
  name: N,
  info: RequestInfo | null,
  ...rest: DetailsArg<N>
): Promise<void> {
  sendQueued(await db().$transaction((tx) => recordEventIn(tx, userId, name, info, ...rest)));
}

/** `recordEvent` inside the caller's transaction; returns the queued mail for `sendQueued` after commit. */
export async function recordEventIn<N extends EventName>(
  tx: Prisma.TransactionClient,
  userId: string,
  name: N,
  info: RequestInfo | null,
  ...[details, options]: DetailsArg<N>
): Promise<string[]> {
  const row = await tx.securityEvent.create({
    data: historyRow(userId, name, info, details),
    select: { createdAt: true },
  });
  if (EVENTS[name].scope !== "account" || options?.mail === false) return [];
  return notifyUser(tx, options?.to ?? userId, name, (details ?? {}) as DetailsOf<N>, { info, at: row.createdAt });
}

const REASONS: Record<string, string> = {
  password: "wrong password",
  invalid_code: "wrong code",
  code_reused: "code already used",
  rate_limited: "too many attempts",
};

// The second-factor methods of lib/accounts/two-factor.ts, as the history names them.
const FACTOR_NAMES: Record<string, string> = {
  totp: "authenticator app",
  recovery_code: "recovery code",
  security_key: "security key",
};
const factorName = (v: unknown) => FACTOR_NAMES[String(v)] ?? String(v);

/** How each detail reads in the history, in this order: which token, project, person, and so on. */
const DETAIL_WORDS: [key: string, words: (value: unknown) => string | null][] = [
  ["name", (v) => `token “${String(v)}”`],
  ["scope", (v) => (v === "all" ? "for all projects" : null)],
  ["projects", (v) => (v ? `for ${String(v)}` : null)],
  ["project", (v) => `project ${String(v)}`],
  ["version", (v) => `version ${String(v)}`],
  ["filename", (v) => `file ${String(v)}`],
  ["files", (v) => `${Number(v)} file(s)`],
  ["user", (v) => `person ${String(v)}`],
  ["role", (v) => `as ${String(v)}`],
  ["from", (v) => `from ${String(v)}`],
  ["to", (v) => `to ${String(v)}`],
  ["email", (v) => String(v)],
  ["requireTwoFactor", (v) => (v ? "two-factor authentication required" : "two-factor authentication not required")],
  ["secondFactor", (v) => `with ${/^[aeiou]/.test(factorName(v)) ? "an" : "a"} ${factorName(v)}`],
  ["method", factorName],
  ["remaining", (v) => `${Number(v)} recovery code(s) left`],
  ["count", (v) => `${Number(v)} session(s) signed out`],
  ["sessionsRevoked", (v) => (Number(v) ? `${Number(v)} other session(s) signed out` : null)],
  ["reason", (v) => (typeof v === "string" ? (REASONS[v] ?? `reason: ${v}`) : null)],
  ["by", (v) => (v === "admin" ? "by an administrator" : `by ${String(v)}`)],
];

/** One line saying what an event was about (which token, project, person...), or null. */
export function describeDetails(details: Record<string, unknown> | null): string | null {
  if (!details) return null;
  const parts = DETAIL_WORDS.flatMap(([key, words]) => {
    const value = details[key];
    const text = value === undefined || value === null ? null : words(value);
    return text ? [text] : [];
  });
  return parts.length ? parts.join(", ") : null;
}

export interface SecurityEventView {
  id: string;
  tag: string;
  label: string;
  /** Which token, project, person... (`describeDetails`). */
  summary: string | null;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown> | null;
}

export const EVENTS_PER_PAGE = 25;

/** Newest first; `page` starts at 1. */
export async function listEvents(userId: string, page = 1): Promise<{ events: SecurityEventView[]; hasMore: boolean }> {
  const rows = await db().securityEvent.findMany({ where: { userId }, ...newestFirst(page, EVENTS_PER_PAGE) });
  return pageOf(rows, EVENTS_PER_PAGE, (r) => ({
    id: r.id.toString(),
    tag: r.tag,
    label: labelOf(r.tag),
    at: r.createdAt,
    ip: r.ip,
    userAgent: r.userAgent,
    details: (r.details as Record<string, unknown> | null) ?? null,
    summary: describeDetails((r.details as Record<string, unknown> | null) ?? null),
  }));
}

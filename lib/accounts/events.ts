// The security history: one helper writes every event, one query reads a user's page of them.
import "server-only";
import { db } from "@/lib/db/client";
import type { RequestInfo } from "@/lib/http/request-info";

/** Every event tag and how the history page words it. Later features add theirs here. */
export const EVENT_LABELS = {
  "account:created": "Account created",
  "account:email-verified": "Email address verified",
  "account:email-change-requested": "Email change requested",
  "account:email-changed": "Email address changed",
  "account:password-changed": "Password changed",
  "account:login-success": "Signed in",
  "account:login-failure": "Failed sign-in attempt",
  "account:logout": "Signed out",
  "account:sessions-revoked": "Sessions revoked",
  "account:password-reset-requested": "Password reset requested",
  "account:password-reset-completed": "Password reset completed",
  "account:sudo-entered": "Confirmed identity for sensitive actions",
  "2fa:enabled": "Two-factor authentication enabled",
  "2fa:disabled": "Two-factor authentication disabled",
  "2fa:failure": "Wrong two-factor code",
  "2fa:recovery-code-used": "Recovery code used",
  "2fa:recovery-codes-regenerated": "Recovery codes regenerated",
  "2fa:admin-reset": "Two-factor authentication reset by an administrator",
  "2fa:app-added": "Authenticator app added",
  "2fa:app-removed": "Authenticator app removed",
  "2fa:key-added": "Security key added",
  "2fa:key-removed": "Security key removed",
  "2fa:key-renamed": "Security key renamed",
  "2fa:key-new-browser": "Security key used from a new browser",
  "2fa:key-clone-suspected": "Security key refused: possible copy",
  "account:passkey-login": "Signed in with a passkey",
  "token:created": "API token created",
  "token:revoked": "API token revoked",
  "project:release-yanked": "Release yanked",
  "project:release-unyanked": "Release un-yanked",
  "project:release-deleted": "Release deleted",
  "project:file-deleted": "File deleted",
  "project:collaborator-invited": "Collaborator invited",
  "project:invitation-revoked": "Invitation revoked",
  "project:invitation-accepted": "Project invitation accepted",
  "project:invitation-declined": "Project invitation declined",
  "project:role-changed": "Collaborator role changed",
  "project:collaborator-removed": "Collaborator removed",
  "project:settings-changed": "Project settings changed",
  "project:deleted": "Project deleted",
  "account:deleted": "Account deleted",
} as const;

export type EventTag = keyof typeof EVENT_LABELS;

export async function recordEvent(
  userId: string,
  tag: EventTag,
  info: RequestInfo | null,
  details?: Record<string, string | number | boolean | null>,
): Promise<void> {
  await db().securityEvent.create({
    data: { userId, tag, ip: info?.ip ?? null, userAgent: info?.userAgent ?? null, details: details ?? undefined },
  });
}

const REASONS: Record<string, string> = {
  password: "wrong password",
  invalid_code: "wrong code",
  code_reused: "code already used",
  rate_limited: "too many attempts",
};

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
  ["secondFactor", (v) => (v === "recovery_code" ? "with a recovery code" : "with an authenticator app")],
  ["method", (v) => (v === "totp" ? "authenticator app" : String(v))],
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
  const rows = await db().securityEvent.findMany({
    where: { userId },
    orderBy: { id: "desc" },
    skip: (Math.max(1, page) - 1) * EVENTS_PER_PAGE,
    take: EVENTS_PER_PAGE + 1,
  });
  return {
    hasMore: rows.length > EVENTS_PER_PAGE,
    events: rows.slice(0, EVENTS_PER_PAGE).map((r) => ({
      id: r.id.toString(),
      tag: r.tag,
      label: EVENT_LABELS[r.tag as EventTag] ?? r.tag,
      at: r.createdAt,
      ip: r.ip,
      userAgent: r.userAgent,
      details: (r.details as Record<string, unknown> | null) ?? null,
      summary: describeDetails((r.details as Record<string, unknown> | null) ?? null),
    })),
  };
}

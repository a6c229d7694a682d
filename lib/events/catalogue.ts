// Every change Wheelhouse records, under one name each: how the histories label it, whether it goes
// to the project's journal or only to an account's security history, and what its email says.
// The journal (lib/projects/journal.ts), the security history (lib/accounts/events.ts) and the
// notices (lib/accounts/notify.ts, lib/projects/manage.ts) all read it from here.
import { config } from "@/lib/config";

/** What an event's details may hold (they are stored as JSON beside the row). */
export type Details = Record<string, string | number | boolean | null | undefined>;

interface Notice<D> {
  /** What happened, as a clause without its full stop: the email's subject and its first line. */
  says: (d: D) => string;
  /** A sentence the email adds after it. */
  then?: (d: D) => string;
  /** The path of the page where the reader can review or undo it. */
  act: string | ((d: D) => string);
}

export interface EventSpec<D extends Details = Details> {
  /** How the account's and the project's history pages name it. */
  label: string;
  /**
   * "project": a change to a project, journalled (bumping its serial) and emailed to its owners; the
   * actor's security history also lists it. "account": only in the account's security history.
   */
  scope: "account" | "project";
  /** The email it sends; none for events a user would not want mail about (a sign-in, a failure). */
  notice?: Notice<D>;
  /** The name the security history stored it under before the catalogue (see the migration). */
  formerly?: string;
}

const account = <D extends Details = Details>(s: Omit<EventSpec<D>, "scope">) => ({ ...s, scope: "account" as const });
const project = <D extends Details = Details>(s: Omit<EventSpec<D>, "scope">) => ({ ...s, scope: "project" as const });

const accountPage = (page: "security" | "tokens" | "settings" | "history") => `/account/${page}`;
const projectHistory = (d: { project: string }) => `/manage/project/${encodeURIComponent(d.project)}/history`;

type OnProject<D extends Details = Details> = D & { project: string };

export const EVENTS = {
  "account:created": account({ label: "Account created" }),
  "account:email-verified": account({ label: "Email address verified" }),
  "account:email-change-requested": account<{ to: string }>({
    label: "Email change requested",
    notice: {
      says: (d) => `your email address is being changed to ${d.to}`,
      then: () => "This address stops receiving account mail once the new one is verified.",
      act: accountPage("settings"),
    },
  }),
  "account:email-changed": account<{ from: string; to: string }>({
    label: "Email address changed",
    notice: {
      says: (d) => `your account's email address was changed from ${d.from} to ${d.to}`,
      then: () => "This address no longer receives mail about the account.",
      act: accountPage("settings"),
    },
  }),
  "account:password-changed": account<{ sessionsRevoked: number }>({
    label: "Password changed",
    notice: {
      says: () => "your password was changed and every other session was signed out",
      act: accountPage("security"),
    },
  }),
  "account:login-success": account({ label: "Signed in" }),
  "account:login-failure": account({ label: "Failed sign-in attempt" }),
  "account:logout": account({ label: "Signed out" }),
  "account:sessions-revoked": account<{ count: number; by?: "admin" }>({
    label: "Sessions revoked",
    notice: {
      says: (d) =>
        d.by === "admin"
          ? `an administrator signed out all your sessions (${d.count})`
          : `${d.count === 1 ? "one of your sessions was" : `${d.count} of your sessions were`} signed out`,
      act: accountPage("security"),
    },
  }),
  "account:password-reset-requested": account({ label: "Password reset requested" }),
  "account:password-reset-completed": account<{ sessionsRevoked: number }>({
    label: "Password reset completed",
    notice: {
      says: () => "your password was changed with a reset link and every session was signed out",
      act: accountPage("security"),
    },
  }),
  "account:sudo-entered": account({
    label: "Confirmed identity for sensitive actions",
    notice: {
      says: () => "you confirmed your identity to make sensitive changes for the next 15 minutes",
      act: accountPage("history"),
    },
  }),
  "account:passkey-login": account<{ name: string }>({
    label: "Signed in with a passkey",
    notice: { says: (d) => `you signed in with the passkey "${d.name}"`, act: accountPage("history") },
  }),
  "account:deleted": account({
    label: "Account deleted",
    notice: {
      says: () => "your account was deleted, with its sessions, API tokens and project roles",
      act: "/account/signup",
    },
  }),
  "2fa:enabled": account({
    label: "Two-factor authentication enabled",
    notice: {
      says: () => "two-factor authentication was enabled and your other sessions were signed out",
      act: accountPage("security"),
    },
  }),
  "2fa:disabled": account({
    label: "Two-factor authentication disabled",
    notice: {
      says: () => "two-factor authentication was disabled and your other sessions were signed out",
      act: accountPage("security"),
    },
  }),
  "2fa:failure": account({ label: "Wrong two-factor code" }),
  "2fa:recovery-code-used": account<{ remaining: number }>({
    label: "Recovery code used",
    notice: { says: (d) => `a recovery code was used to sign in (${d.remaining} left)`, act: accountPage("security") },
  }),
  "2fa:recovery-codes-regenerated": account({
    label: "Recovery codes regenerated",
    notice: {
      says: () => "your recovery codes were regenerated; the old ones no longer work",
      act: accountPage("security"),
    },
  }),
  "2fa:admin-reset": account<{ reason: string; sessionsRevoked: number }>({
    label: "Two-factor authentication reset by an administrator",
    notice: {
      says: (d) =>
        `an administrator turned off two-factor authentication (reason: ${d.reason}) and signed out all your sessions`,
      act: accountPage("security"),
    },
  }),
  "2fa:app-added": account({
    label: "Authenticator app added",
    notice: { says: () => "an authenticator app was added as a second factor", act: accountPage("security") },
  }),
  "2fa:app-removed": account({
    label: "Authenticator app removed",
    notice: {
      says: () => "the authenticator app was removed; your security keys still protect your account",
      act: accountPage("security"),
    },
  }),
  "2fa:key-added": account<{ name: string; passkey: boolean }>({
    label: "Security key added",
    notice: {
      says: (d) => `a security key was added: "${d.name}"${d.passkey ? " (a passkey)" : ""}`,
      act: accountPage("security"),
    },
  }),
  "2fa:key-removed": account<{ name: string }>({
    label: "Security key removed",
    notice: { says: (d) => `the security key "${d.name}" was removed`, act: accountPage("security") },
  }),
  "2fa:key-renamed": account<{ from: string; to: string }>({
    label: "Security key renamed",
    notice: { says: (d) => `the security key "${d.from}" was renamed to "${d.to}"`, act: accountPage("security") },
  }),
  "2fa:key-new-browser": account<{ name: string; browser: string }>({
    label: "Security key used from a new browser",
    notice: {
      says: (d) => `your security key "${d.name}" was used to sign in from a browser not seen before (${d.browser})`,
      act: accountPage("history"),
    },
  }),
  "2fa:key-clone-suspected": account<{ name: string; counter: number; expectedAbove: number }>({
    label: "Security key refused: possible copy",
    notice: {
      says: (d) =>
        `a sign-in with your security key "${d.name}" was refused because its signature counter went backwards, ` +
        `which suggests a copy of the key`,
      then: () => "If you did not copy it, remove the key and check your account.",
      act: accountPage("security"),
    },
  }),
  "token:created": account<{ name: string; scope: "all" | "projects"; projects: string | null }>({
    label: "API token created",
    notice: { says: (d) => `an API token named "${d.name}" was created`, act: accountPage("tokens") },
  }),
  "token:revoked": account<{ name: string }>({
    label: "API token revoked",
    notice: { says: (d) => `the API token "${d.name}" was revoked`, act: accountPage("tokens") },
  }),

  // Changes to a project. Those made through an upload or an operator's command send no mail.
  "project:created": project({ label: "Project created" }),
  "file:uploaded": project({ label: "File uploaded" }),
  "project:readmes-rerendered": project({ label: "Descriptions re-rendered" }),
  "release:yanked": project<OnProject<{ version: string; reason: string | null }>>({
    label: "Release yanked",
    formerly: "project:release-yanked",
    notice: {
      says: (d) => `Release ${d.version} of ${d.project} was yanked${d.reason ? `: ${d.reason}` : ""}`,
      act: projectHistory,
    },
  }),
  "release:unyanked": project<OnProject<{ version: string }>>({
    label: "Release un-yanked",
    formerly: "project:release-unyanked",
    notice: { says: (d) => `Release ${d.version} of ${d.project} was un-yanked`, act: projectHistory },
  }),
  "release:deleted": project<OnProject<{ version: string; files: number }>>({
    label: "Release deleted",
    formerly: "project:release-deleted",
    notice: {
      says: (d) => `Release ${d.version} of ${d.project} was deleted with its ${d.files} file(s)`,
      act: projectHistory,
    },
  }),
  "file:deleted": project<OnProject<{ filename: string; version: string }>>({
    label: "File deleted",
    formerly: "project:file-deleted",
    notice: { says: (d) => `File ${d.filename} of ${d.project} was deleted`, act: projectHistory },
  }),
  "role:invited": project<OnProject<{ user: string; role: string }>>({
    label: "Collaborator invited",
    formerly: "project:collaborator-invited",
    notice: {
      says: (d) => `${d.user} was invited to ${d.project} as ${d.role}`,
      then: () => `Accept or decline at ${config().baseUrl}/account/invitations`,
      act: projectHistory,
    },
  }),
  "role:invitation-revoked": project<OnProject<{ user: string }>>({
    label: "Invitation revoked",
    formerly: "project:invitation-revoked",
    notice: { says: (d) => `The invitation of ${d.user} to ${d.project} was revoked`, act: projectHistory },
  }),
  "role:accepted": project<OnProject<{ user: string; role: string }>>({
    label: "Invitation accepted",
    formerly: "project:invitation-accepted",
    notice: { says: (d) => `${d.user} joined ${d.project} as ${d.role}`, act: projectHistory },
  }),
  "role:declined": project<OnProject<{ user: string; role: string }>>({
    label: "Invitation declined",
    formerly: "project:invitation-declined",
    notice: { says: (d) => `${d.user} declined the invitation to ${d.project}`, act: projectHistory },
  }),
  "role:changed": project<OnProject<{ user: string; from: string; to: string }>>({
    label: "Collaborator role changed",
    formerly: "project:role-changed",
    notice: { says: (d) => `${d.user} is now ${d.to} of ${d.project} (was ${d.from})`, act: projectHistory },
  }),
  "role:removed": project<OnProject<{ user: string; role: string; left?: boolean }>>({
    label: "Collaborator removed",
    formerly: "project:collaborator-removed",
    notice: {
      says: (d) => (d.left ? `${d.user} left ${d.project}` : `${d.user} was removed from ${d.project}`),
      act: projectHistory,
    },
  }),
  "project:settings-changed": project<OnProject<{ requireTwoFactor: boolean }>>({
    label: "Project settings changed",
    notice: {
      says: (d) =>
        `${d.project} ${d.requireTwoFactor ? "now requires" : "no longer requires"} collaborators ` +
        `to have two-factor authentication`,
      act: projectHistory,
    },
  }),
  "project:deleted": project<OnProject<{ releases: number; files: number }>>({
    label: "Project deleted",
    notice: {
      says: (d) => `The project ${d.project} was deleted with its ${d.releases} release(s) and ${d.files} file(s)`,
      then: () => "Its name and filenames can never be used again.",
      act: "/account/projects",
    },
  }),
};

export type EventName = keyof typeof EVENTS;
export type ProjectEventName = {
  [N in EventName]: (typeof EVENTS)[N]["scope"] extends "project" ? N : never;
}[EventName];
/** The details an event is recorded with (what its email's wording needs). */
export type DetailsOf<N extends EventName> = (typeof EVENTS)[N] extends EventSpec<infer D> ? D : never;

const byStoredName = new Map<string, EventSpec<never>>();
for (const [name, s] of Object.entries(EVENTS) as [string, EventSpec<never>][]) {
  byStoredName.set(name, s);
  if (s.formerly) byStoredName.set(s.formerly, s);
}

/** The label of a stored row, also of one stored under a former name; an unknown name shows as itself. */
export function labelOf(stored: string): string {
  return byStoredName.get(stored)?.label ?? stored;
}

/** What an event's email says, or null when it sends none. */
export function noticeOf<N extends EventName>(
  name: N,
  details: DetailsOf<N>,
): { says: string; then: string | null; act: string } | null {
  const notice = (EVENTS[name] as EventSpec<DetailsOf<N>>).notice;
  if (!notice) return null;
  return {
    says: notice.says(details),
    then: notice.then?.(details) ?? null,
    act: typeof notice.act === "string" ? notice.act : notice.act(details),
  };
}

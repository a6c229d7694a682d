// Who may do what: the one place that decides it, after Warehouse's `__acl__` and `Permissions`.
// Pure: callers load the facts (the actor, their role on the project, the project's rule, the
// token) and act on the Decision; refusals carry a reason code that each caller words its own way
// (lib/errors.ts `refusalMessage` for pages and actions, lib/upload for the text twine prints).

export type Role = "owner" | "maintainer";

export type Permission =
  /** Upload a file to an existing project (through an API token). */
  | "project:upload"
  /** The first upload of a name, which creates the project owned by the uploader. */
  | "project:create"
  | "project:yank"
  /** Delete a release or one of its files. */
  | "project:delete-release"
  | "project:delete"
  /** Invite, revoke invitations, change roles, remove others. */
  | "project:roles"
  /** The project's own rules (2FA required of collaborators). */
  | "project:settings"
  /** Remove oneself from a project. */
  | "project:leave"
  /** Accept an invitation (and, for an owner inviting, whether the invitee could). */
  | "project:join"
  /** Publish at all with an API token: checked before the upload is read. */
  | "account:publish"
  | "account:token:create"
  /** Add a second factor (authenticator app, security key). */
  | "account:2fa:enrol"
  /** Rename or remove a factor, regenerate recovery codes, turn 2FA off. */
  | "account:2fa:change"
  /** Email, password, sessions, deleting the account. */
  | "account:change";

export type Reason =
  | "not-member"
  | "not-owner"
  | "needs-verified-email"
  /** Managing a project needs the actor's own second factor, whatever the policies say. */
  | "needs-2fa"
  /** WHEELHOUSE_REQUIRE_2FA: publishing (and so holding tokens) needs a second factor. */
  | "site-requires-2fa"
  /** The project requires its collaborators to have a second factor. */
  | "project-requires-2fa"
  | "needs-sudo"
  | "token-expired"
  /** The token does not cover this project (scoped to others, or to a project since deleted). */
  | "token-out-of-scope"
  /** A token scoped to chosen projects that were all deleted since: it covers nothing, for good. */
  | "token-scope-gone"
  /** A token scoped to chosen projects cannot create a new one. */
  | "token-cannot-create"
  /** Tokens only publish; anything else is done signed in. */
  | "needs-session";

export type Decision = { allowed: true } | { allowed: false; reason: Reason };

export interface ActorFacts {
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  /** Confirmed with password and second factor in the last 15 minutes (lib/accounts/sudo.ts). */
  inSudo: boolean;
}

export interface ProjectFacts {
  id: string;
  /** The actor's role, null when they are not a member. */
  role: Role | null;
  requireTwoFactor: boolean;
}

export interface TokenFacts {
  allProjects: boolean;
  /** The projects a scoped token covers; a deleted project's row is gone with it. */
  projectIds: string[];
  expiresAt: Date | null;
}

export interface SitePolicy {
  requireTwoFactor: boolean;
}

export interface Facts {
  actor: ActorFacts;
  site: SitePolicy;
  /** The project acted on; required by project permissions other than project:create. */
  project?: ProjectFacts;
  /** Present when the request came with an API token rather than a session. */
  token?: TokenFacts;
  now?: Date;
}

interface Rule {
  /** How the request must arrive: uploads with a token, everything else with a session. */
  via: "token" | "session";
  /** Roles allowed on the project; absent: any or none (joining, creating). */
  roles?: readonly Role[];
  verifiedEmail?: boolean;
  /** Held to WHEELHOUSE_REQUIRE_2FA. */
  siteTwoFactor?: boolean;
  /** Held to the project's own 2FA rule. */
  projectTwoFactor?: boolean;
  /** Needs the actor's second factor regardless of policy. */
  ownTwoFactor?: boolean;
  sudo?: boolean;
}

const MEMBERS = ["owner", "maintainer"] as const;
const OWNERS = ["owner"] as const;
/** Changes of ownership and deletions: an owner, with a second factor, freshly confirmed. */
const OWNER_CHANGE: Rule = { via: "session", roles: OWNERS, ownTwoFactor: true, sudo: true };

const RULES: Record<Permission, Rule> = {
  "project:upload": { via: "token", roles: MEMBERS, verifiedEmail: true, siteTwoFactor: true, projectTwoFactor: true },
  "project:create": { via: "token", verifiedEmail: true, siteTwoFactor: true },
  "project:yank": OWNER_CHANGE,
  "project:delete-release": OWNER_CHANGE,
  "project:delete": OWNER_CHANGE,
  "project:roles": OWNER_CHANGE,
  "project:settings": OWNER_CHANGE,
  "project:leave": { via: "session", roles: MEMBERS, sudo: true },
  // Joining changes only the invitee's own membership: no sudo, but the project's rule holds.
  "project:join": { via: "session", verifiedEmail: true, projectTwoFactor: true },
  "account:publish": { via: "token", verifiedEmail: true, siteTwoFactor: true },
  "account:token:create": { via: "session", verifiedEmail: true, siteTwoFactor: true, sudo: true },
  // A stolen cookie alone must not enrol its own factor: sudo, and an address that is the owner's.
  "account:2fa:enrol": { via: "session", verifiedEmail: true, sudo: true },
  "account:2fa:change": { via: "session", sudo: true },
  "account:change": { via: "session", sudo: true },
};

const PROJECT_PERMISSIONS = new Set<Permission>(
  (Object.keys(RULES) as Permission[]).filter((p) => p.startsWith("project:") && p !== "project:create"),
);

const refuse = (reason: Reason): Decision => ({ allowed: false, reason });
const ALLOWED: Decision = { allowed: true };

/**
 * Decides `permission` on the facts given. The order of the checks is the order a person fixes
 * them in: a token that works, an account that may act, a place on the project, then the
 * project's own rule, and last a fresh confirmation.
 */
/**
 * A project-scoped token loses a project when the project is deleted (its scope rows go with it).
 * Once it has lost them all it covers nothing, and stays so: it must never pass for a token with no
 * restriction, and a project created later under another name is not one it was given.
 */
export function tokenCoversNothing(token: { allProjects: boolean; projectIds: readonly unknown[] }): boolean {
  return !token.allProjects && token.projectIds.length === 0;
}

export function decide(permission: Permission, facts: Facts): Decision {
  const rule = RULES[permission];
  const { actor, site, project, token } = facts;

  if (rule.via === "token") {
    if (!token) return refuse("token-out-of-scope");
    if (token.expiresAt && token.expiresAt <= (facts.now ?? new Date())) return refuse("token-expired");
    if (tokenCoversNothing(token)) return refuse("token-scope-gone");
  } else if (token) {
    return refuse("needs-session");
  }

  if (rule.verifiedEmail && !actor.emailVerified) return refuse("needs-verified-email");
  if (rule.siteTwoFactor && site.requireTwoFactor && !actor.twoFactorEnabled) return refuse("site-requires-2fa");

  if (PROJECT_PERMISSIONS.has(permission)) {
    // Fail closed: a project permission without its project is never granted.
    if (!project) return refuse("not-member");
    if (rule.roles && !(project.role && rule.roles.includes(project.role))) {
      return refuse(project.role === null ? "not-member" : "not-owner");
    }
    if (token && !token.allProjects && !token.projectIds.includes(project.id)) return refuse("token-out-of-scope");
    if (rule.projectTwoFactor && project.requireTwoFactor && !actor.twoFactorEnabled)
      return refuse("project-requires-2fa");
  } else if (permission === "project:create" && token && !token.allProjects) {
    return refuse("token-cannot-create");
  }

  if (rule.ownTwoFactor && !actor.twoFactorEnabled) return refuse("needs-2fa");
  if (rule.sudo && !actor.inSudo) return refuse("needs-sudo");
  return ALLOWED;
}

/** The actor who has done everything a page can ask of them: verified, with a second factor, confirmed. */
const SETTLED_ACTOR: ActorFacts = { emailVerified: true, twoFactorEnabled: true, inSudo: true };

/**
 * Whether a page offers the control for `permission`: the policy would allow it once the actor has
 * done what the page itself asks for (confirm it is them, add a second factor, verify the address).
 * Only who they are on the project, and the site's and project's rules, decide; the action still
 * asks `decide` with the actor as they are.
 */
export function offers(permission: Permission, facts: Omit<Facts, "actor">): boolean {
  return decide(permission, { ...facts, actor: SETTLED_ACTOR }).allowed;
}

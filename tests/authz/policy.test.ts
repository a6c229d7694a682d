// The authorization policy (lib/authz/policy.ts) over its whole matrix: role × permission × the
// actor's 2FA and email × the site's and the project's 2FA rule × how the request came (session,
// or a token for all projects, this project, another one, a deleted one, expired) × sudo.
// The rules are written out a second time below, as a table a reviewer can check against the
// README; every combination must get the answer the table gives, reason included.
import { describe, expect, it } from "vitest";
import {
  decide,
  offers,
  type Decision,
  type Facts,
  type Permission,
  type Reason,
  type Role,
  type TokenFacts,
} from "@/lib/authz/policy";

const NOW = new Date("2026-06-01T12:00:00Z");
const PROJECT_ID = "11111111-1111-4111-8111-111111111111";
const OTHER_ID = "22222222-2222-4222-8222-222222222222";

interface Spec {
  via: "token" | "session";
  /** Who may, by role on the project; "no-project" for account permissions and creation. */
  roles: readonly Role[] | "any" | "no-project";
  verifiedEmail: boolean;
  siteTwoFactor: boolean;
  projectTwoFactor: boolean;
  ownTwoFactor: boolean;
  sudo: boolean;
}

const owners = ["owner"] as const;
const members = ["owner", "maintainer"] as const;
const session = {
  via: "session",
  verifiedEmail: false,
  siteTwoFactor: false,
  projectTwoFactor: false,
  ownTwoFactor: false,
  sudo: false,
} as const;
const ownerChange: Spec = { ...session, roles: owners, ownTwoFactor: true, sudo: true };

const SPEC: Record<Permission, Spec> = {
  "project:upload": {
    via: "token",
    roles: members,
    verifiedEmail: true,
    siteTwoFactor: true,
    projectTwoFactor: true,
    ownTwoFactor: false,
    sudo: false,
  },
  "project:create": {
    via: "token",
    roles: "no-project",
    verifiedEmail: true,
    siteTwoFactor: true,
    projectTwoFactor: false,
    ownTwoFactor: false,
    sudo: false,
  },
  "project:yank": ownerChange,
  "project:delete-release": ownerChange,
  "project:delete": ownerChange,
  "project:roles": ownerChange,
  "project:settings": ownerChange,
  "project:leave": { ...session, roles: members, sudo: true },
  "project:join": { ...session, roles: "any", verifiedEmail: true, projectTwoFactor: true },
  "account:publish": {
    via: "token",
    roles: "no-project",
    verifiedEmail: true,
    siteTwoFactor: true,
    projectTwoFactor: false,
    ownTwoFactor: false,
    sudo: false,
  },
  "account:token:create": { ...session, roles: "no-project", verifiedEmail: true, siteTwoFactor: true, sudo: true },
  "account:2fa:enrol": { ...session, roles: "no-project", verifiedEmail: true, sudo: true },
  "account:2fa:change": { ...session, roles: "no-project", sudo: true },
  "account:change": { ...session, roles: "no-project", sudo: true },
};

type Via = "session" | "token:all" | "token:this" | "token:other" | "token:deleted-project" | "token:expired";

const TOKENS: Record<Exclude<Via, "session">, TokenFacts> = {
  "token:all": { allProjects: true, projectIds: [], expiresAt: null },
  "token:this": { allProjects: false, projectIds: [PROJECT_ID], expiresAt: new Date(NOW.getTime() + 1) },
  "token:other": { allProjects: false, projectIds: [OTHER_ID], expiresAt: null },
  // Scoped to a project since deleted: its scope row went with the project.
  "token:deleted-project": { allProjects: false, projectIds: [], expiresAt: null },
  // Expiry is inclusive: a token is dead from its expiry instant on.
  "token:expired": { allProjects: true, projectIds: [], expiresAt: NOW },
};

interface Case {
  permission: Permission;
  role: Role | null;
  twoFactor: boolean;
  emailVerified: boolean;
  site2fa: boolean;
  project2fa: boolean;
  via: Via;
  sudo: boolean;
}

function factsOf(c: Case): Facts {
  return {
    actor: { emailVerified: c.emailVerified, twoFactorEnabled: c.twoFactor, inSudo: c.sudo },
    site: { requireTwoFactor: c.site2fa },
    project:
      c.permission === "project:create" ? undefined : { id: PROJECT_ID, role: c.role, requireTwoFactor: c.project2fa },
    token: c.via === "session" ? undefined : TOKENS[c.via],
    now: NOW,
  };
}

/** What the table says, checked in the order a person would fix things. */
function expected(c: Case): Decision {
  const spec = SPEC[c.permission];
  const token = c.via === "session" ? null : TOKENS[c.via];
  const onProject = Array.isArray(spec.roles) || spec.roles === "any";
  const checks: [boolean, Reason][] = [
    [spec.via === "token" && !token, "token-out-of-scope"],
    [spec.via === "token" && c.via === "token:expired", "token-expired"],
    [spec.via === "token" && c.via === "token:deleted-project", "token-scope-gone"],
    [spec.via === "session" && !!token, "needs-session"],
    [spec.verifiedEmail && !c.emailVerified, "needs-verified-email"],
    [spec.siteTwoFactor && c.site2fa && !c.twoFactor, "site-requires-2fa"],
    [Array.isArray(spec.roles) && c.role === null, "not-member"],
    [Array.isArray(spec.roles) && c.role !== null && !spec.roles.includes(c.role), "not-owner"],
    [onProject && !!token && !token.allProjects && !token.projectIds.includes(PROJECT_ID), "token-out-of-scope"],
    [c.permission === "project:create" && !!token && !token.allProjects, "token-cannot-create"],
    [spec.projectTwoFactor && c.project2fa && !c.twoFactor, "project-requires-2fa"],
    [spec.ownTwoFactor && !c.twoFactor, "needs-2fa"],
    [spec.sudo && !c.sudo, "needs-sudo"],
  ];
  const first = checks.find(([applies]) => applies);
  return first ? { allowed: false, reason: first[1] } : { allowed: true };
}

function* cases(permission: Permission): Generator<Case> {
  const bools = [false, true];
  const vias: Via[] = ["session", "token:all", "token:this", "token:other", "token:deleted-project", "token:expired"];
  for (const role of ["owner", "maintainer", null] as const)
    for (const twoFactor of bools)
      for (const emailVerified of bools)
        for (const site2fa of bools)
          for (const project2fa of bools)
            for (const via of vias)
              for (const sudo of bools)
                yield { permission, role, twoFactor, emailVerified, site2fa, project2fa, via, sudo };
}

describe("the whole matrix", () => {
  it.each(Object.keys(SPEC) as Permission[])("%s: every combination gets the table's answer", (permission) => {
    const wrong: string[] = [];
    let allowed = 0;
    let total = 0;
    for (const c of cases(permission)) {
      const got = decide(permission, factsOf(c));
      const want = expected(c);
      total++;
      if (got.allowed) allowed++;
      if (JSON.stringify(got) !== JSON.stringify(want))
        wrong.push(`${JSON.stringify(c)}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(total).toBe(3 * 2 ** 4 * 6 * 2);
    // Each permission is granted to someone and refused to someone: no rule is vacuous.
    expect(allowed).toBeGreaterThan(0);
    expect(allowed).toBeLessThan(total);
  });
});

describe("cases a reviewer would ask about", () => {
  const actor = { emailVerified: true, twoFactorEnabled: true, inSudo: true };
  const site = { requireTwoFactor: true };
  const project = (role: Role | null, requireTwoFactor = false) => ({ id: PROJECT_ID, role, requireTwoFactor });
  const allProjects = TOKENS["token:all"];
  const refused = (reason: Reason): Decision => ({ allowed: false, reason });

  it.each<[string, Permission, Facts, Decision]>([
    [
      "a maintainer uploads with an all-projects token",
      "project:upload",
      { actor, site, project: project("maintainer"), token: allProjects, now: NOW },
      { allowed: true },
    ],
    ["a maintainer yanks", "project:yank", { actor, site, project: project("maintainer") }, refused("not-owner")],
    [
      "a stranger uploads with an all-projects token",
      "project:upload",
      { actor, site, project: project(null), token: allProjects, now: NOW },
      refused("not-member"),
    ],
    [
      "an owner deletes the project without a fresh confirmation",
      "project:delete",
      { actor: { ...actor, inSudo: false }, site, project: project("owner") },
      refused("needs-sudo"),
    ],
    [
      "an owner without 2FA manages, though neither the site nor the project asks for it",
      "project:roles",
      { actor: { ...actor, twoFactorEnabled: false }, site: { requireTwoFactor: false }, project: project("owner") },
      refused("needs-2fa"),
    ],
    [
      "a maintainer without 2FA uploads to a project that requires it, on a site that does not",
      "project:upload",
      {
        actor: { ...actor, twoFactorEnabled: false },
        site: { requireTwoFactor: false },
        project: project("maintainer", true),
        token: allProjects,
        now: NOW,
      },
      refused("project-requires-2fa"),
    ],
    [
      "an owner uploads with a token scoped to another project",
      "project:upload",
      { actor, site, project: project("owner"), token: TOKENS["token:other"], now: NOW },
      refused("token-out-of-scope"),
    ],
    [
      "a token whose projects were all deleted creates nothing",
      "project:create",
      { actor, site, token: TOKENS["token:deleted-project"], now: NOW },
      refused("token-scope-gone"),
    ],
    [
      "an owner uploads with an expired token",
      "project:upload",
      { actor, site, project: project("owner"), token: TOKENS["token:expired"], now: NOW },
      refused("token-expired"),
    ],
    [
      "an owner yanks with an API token",
      "project:yank",
      { actor, site, project: project("owner"), token: allProjects, now: NOW },
      refused("needs-session"),
    ],
    [
      "an upload without any token",
      "project:upload",
      { actor, site, project: project("owner") },
      refused("token-out-of-scope"),
    ],
    ["a project permission without its project", "project:yank", { actor, site }, refused("not-member")],
    [
      "an unverified account enrols a second factor",
      "account:2fa:enrol",
      { actor: { ...actor, emailVerified: false }, site },
      refused("needs-verified-email"),
    ],
    [
      "a cookie without sudo removes a second factor",
      "account:2fa:change",
      { actor: { ...actor, inSudo: false }, site },
      refused("needs-sudo"),
    ],
    [
      "someone without 2FA accepts an invitation to a project that requires it",
      "project:join",
      {
        actor: { ...actor, twoFactorEnabled: false, inSudo: false },
        site: { requireTwoFactor: false },
        project: project(null, true),
      },
      refused("project-requires-2fa"),
    ],
    [
      "a maintainer leaves, confirmed",
      "project:leave",
      { actor: { ...actor, twoFactorEnabled: false }, site, project: project("maintainer") },
      { allowed: true },
    ],
  ])("%s", (_what, permission, facts, decision) => {
    expect(decide(permission, facts)).toEqual(decision);
  });
});

describe("offers: the controls the manage pages show", () => {
  const site = { requireTwoFactor: true };
  const project = (role: Role | null) => ({ id: PROJECT_ID, role, requireTwoFactor: true });
  const managePermissions = (Object.keys(SPEC) as Permission[]).filter(
    (p) => SPEC[p].via === "session" && Array.isArray(SPEC[p].roles),
  );

  it.each(managePermissions)("%s: offered to exactly the roles the table lets do it", (permission) => {
    const roles = SPEC[permission].roles as readonly Role[];
    for (const role of [null, "maintainer", "owner"] as const)
      expect(offers(permission, { site, project: project(role) }), `${role}`).toBe(
        role !== null && roles.includes(role),
      );
  });

  it("a maintainer is offered leaving, and none of an owner's controls", () => {
    const offered = managePermissions.filter((p) => offers(p, { site, project: project("maintainer") }));
    expect(offered).toEqual(["project:leave"]);
  });

  it("an owner is offered the owner's controls before confirming it is them or adding a second factor", () => {
    // The page then asks for what is missing (the sudo form, the 2FA banner); the action still refuses without it.
    const facts = { site, project: project("owner") };
    const actor = { emailVerified: true, twoFactorEnabled: false, inSudo: false };
    for (const permission of ["project:yank", "project:delete", "project:roles", "project:settings"] as const) {
      expect(offers(permission, facts)).toBe(true);
      expect(decide(permission, { ...facts, actor }).allowed).toBe(false);
    }
  });

  it("is never offered through a token", () => {
    const token = { allProjects: true, projectIds: [], expiresAt: null };
    expect(offers("project:yank", { site, project: project("owner"), token })).toBe(false);
  });
});

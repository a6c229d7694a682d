// The facts lib/authz/policy.ts decides on, as the rest of the code holds them: the site's policy
// from the environment, and an account (with its session's sudo state) as an actor.
import "server-only";
import { config } from "@/lib/config";
import { inSudoMode, type ActiveSession } from "@/lib/accounts/sessions";
import { errorCodeFor, type ErrorCode } from "@/lib/errors";
import { decide, type ActorFacts, type Permission, type Reason, type SitePolicy } from "./policy";

export function sitePolicy(): SitePolicy {
  return { requireTwoFactor: config().WHEELHOUSE_REQUIRE_2FA };
}

/** An account as the policy sees it, with its session's sudo state (none for API tokens). */
export function actorFacts(
  account: { emailVerified: boolean; twoFactorEnabled: boolean },
  session: Pick<ActiveSession, "sudoUntil"> | null = null,
  now = new Date(),
): ActorFacts {
  return {
    emailVerified: account.emailVerified,
    twoFactorEnabled: account.twoFactorEnabled,
    inSudo: session !== null && inSudoMode(session, now),
  };
}

/** A session's own facts: its account, its sudo state. */
export const sessionFacts = (session: ActiveSession, now = new Date()): ActorFacts =>
  actorFacts(session.user, session, now);

/** The policy's answer to a session acting on its own account, or null when it may. */
export function accountRefusal(
  permission: Permission,
  session: Pick<ActiveSession, "user" | "sudoUntil">,
  now = new Date(),
): Reason | null {
  const decision = decide(permission, { actor: actorFacts(session.user, session, now), site: sitePolicy(), now });
  return decision.allowed ? null : decision.reason;
}

/**
 * The same refusal as the error code an account function answers with. Each function that changes
 * an account asks it first, so a fresh confirmation (sudo) is checked where the change is made, not
 * only by the action that calls it.
 */
export function accountRefusalCode(
  permission: Permission,
  session: Pick<ActiveSession, "user" | "sudoUntil">,
  now = new Date(),
): ErrorCode | null {
  const refused = accountRefusal(permission, session, now);
  return refused && errorCodeFor(refused);
}

// Security keys and passkeys (WebAuthn): registration, the second-factor and sudo assertion, and
// passwordless sign-in with a passkey. The ceremonies themselves (CBOR, COSE, signatures) are
// @simplewebauthn/server's; this module adds what the library leaves to us: challenges that live in
// PostgreSQL (single-use, 5 minutes, bound to who asked), the sign counter, names, and the rules.
import "server-only";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { config } from "@/lib/config";
import { db, Prisma } from "@/lib/db/client";
import type { RequestInfo } from "@/lib/http/request-info";
import type { ErrorCode } from "@/lib/errors";
import { accountRefusalCode } from "@/lib/authz/facts";
import { attempt, checkLimit, hitLimit, LIMITS, refundLimit } from "@/lib/security/rate-limit";
import { announceTransition, changeFactors, spendFactor, type AfterFactor } from "./factors";
import { sendQueued } from "@/lib/email/outbox";
import { recordEvent, recordEventIn } from "./events";
import { openSession, type ActiveSession } from "./sessions";

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
/** Large enough for any real assertion or attestation; anything longer is refused unread. */
export const MAX_RESPONSE_CHARS = 16_000;

type Purpose = "register" | "authenticate" | "passkey";
type Failure = { ok: false; code: ErrorCode; retryAt?: Date };

function relyingParty(): { rpID: string; origin: string } | null {
  const rp = config().relyingParty;
  return "unavailable" in rp ? null : rp;
}

/** Why this Wheelhouse cannot use security keys, or null when it can (for pages). */
export function securityKeysUnavailable(): string | null {
  const rp = config().relyingParty;
  return "unavailable" in rp ? rp.unavailable : null;
}

// ---- Challenges ------------------------------------------------------------------------------

/** Stores a challenge for (binding, purpose), replacing any earlier one: only the newest ceremony counts. */
export async function issueChallenge(
  binding: string,
  purpose: Purpose,
  challenge: string,
  userId: string | null,
  now = new Date(),
) {
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  await db().webauthnChallenge.upsert({
    where: { binding_purpose: { binding, purpose } },
    create: { binding, purpose, challenge, userId, expiresAt },
    update: { challenge, userId, expiresAt },
  });
  // Opportunistic clean-up; correctness never depends on it.
  await db().webauthnChallenge.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - CHALLENGE_TTL_MS) } } });
}

/**
 * Takes the challenge for (binding, purpose) out of the table: deleting it first is what makes it
 * single-use, even when two requests race with the same answer.
 */
export async function takeChallenge(
  binding: string,
  purpose: Purpose,
  now = new Date(),
): Promise<{ ok: true; challenge: string; userId: string | null } | Failure> {
  const rows = await db().$queryRaw<{ challenge: string; user_id: string | null; expires_at: Date }[]>`
    DELETE FROM webauthn_challenges WHERE binding = ${binding} AND purpose = ${purpose}
    RETURNING challenge, user_id, expires_at`;
  const row = rows[0];
  if (!row || row.expires_at <= now) return { ok: false, code: "key_challenge_expired" };
  return { ok: true, challenge: row.challenge, userId: row.user_id };
}

function parseResponse<T>(json: string): T | null {
  if (json.length > MAX_RESPONSE_CHARS) return null;
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === "object" && typeof (value as { id?: unknown }).id === "string"
      ? (value as T)
      : null;
  } catch {
    return null;
  }
}

// ---- Listing and registration -----------------------------------------------------------------

export interface SecurityKeyView {
  id: string;
  name: string;
  passkey: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export async function listSecurityKeys(userId: string): Promise<SecurityKeyView[]> {
  const keys = await db().securityKey.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, discoverable: true, createdAt: true, lastUsedAt: true },
  });
  return keys.map((k) => ({
    id: k.id,
    name: k.name,
    passkey: k.discoverable,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
  }));
}

/** Refuses what adding a key needs: the policy's (sudo, a verified address), a usable relying party. */
function keyChangeProblem(session: ActiveSession, now: Date): ErrorCode | null {
  const refused = accountRefusalCode("account:2fa:enrol", session, now);
  if (refused) return refused;
  if (!relyingParty()) return "security_keys_unavailable";
  return null;
}

export async function beginKeyRegistration(
  session: ActiveSession,
  now = new Date(),
): Promise<{ ok: true; options: PublicKeyCredentialCreationOptionsJSON } | Failure> {
  const problem = keyChangeProblem(session, now);
  if (problem) return { ok: false, code: problem };
  const rp = relyingParty()!;
  const existing = await db().securityKey.findMany({
    where: { userId: session.user.id },
    select: { credentialId: true, transports: true },
  });
  const options = await generateRegistrationOptions({
    rpName: "Wheelhouse",
    rpID: rp.rpID,
    userName: session.user.username,
    // The user handle a passkey returns at sign-in: the account's id, nothing personal.
    userID: new TextEncoder().encode(session.user.id),
    attestationType: "none",
    excludeCredentials: existing.map((k) => ({ id: k.credentialId, transports: k.transports })),
    // A passkey when the authenticator can hold one, a plain security key otherwise.
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  await issueChallenge(session.idHash, "register", options.challenge, session.user.id, now);
  return { ok: true, options };
}

export const KEY_NAME_MAX = 100;

export async function finishKeyRegistration(
  session: ActiveSession,
  name: string,
  responseJson: string,
  info: RequestInfo,
  now = new Date(),
): Promise<{ ok: true; key: SecurityKeyView; recoveryCodes?: string[] } | Failure> {
  const problem = keyChangeProblem(session, now);
  if (problem) return { ok: false, code: problem };
  const rp = relyingParty()!;
  const userId = session.user.id;
  const response = parseResponse<RegistrationResponseJSON>(responseJson);
  if (!response) return { ok: false, code: "key_not_accepted" };
  const challenge = await takeChallenge(session.idHash, "register", now);
  if (!challenge.ok) return challenge;
  if (challenge.userId !== userId) return { ok: false, code: "key_challenge_expired" };
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: false,
    });
  } catch {
    return { ok: false, code: "key_not_accepted" };
  }
  if (!verified.verified) return { ok: false, code: "key_not_accepted" };
  const reg = verified.registrationInfo;
  const cleanName = name.trim().slice(0, KEY_NAME_MAX);
  let change;
  try {
    change = await changeFactors(
      userId,
      (tx) =>
        tx.securityKey.create({
          data: {
            userId,
            name: cleanName,
            credentialId: reg.credential.id,
            publicKey: Buffer.from(reg.credential.publicKey),
            signCount: BigInt(reg.credential.counter),
            transports: reg.credential.transports ?? [],
            // credProps tells whether the authenticator kept a discoverable credential (a passkey).
            discoverable: response.clientExtensionResults?.credProps?.rk === true,
            multiDevice: reg.credentialDeviceType === "multiDevice",
            backedUp: reg.credentialBackedUp,
            aaguid: reg.aaguid,
            createdAt: now,
          },
        }),
      {
        keepIdHash: session.idHash,
        now,
        record: async (tx, done) => [
          ...(await recordEventIn(tx, userId, "2fa:key-added", info, {
            name: done.result.name,
            passkey: done.result.discoverable,
          })),
          ...(await announceTransition(tx, userId, done, info, "security_key")),
        ],
      },
    );
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")
      return { ok: false, code: "key_already_registered" };
    throw err;
  }
  const key = change.result;
  return {
    ok: true,
    key: {
      id: key.id,
      name: key.name,
      passkey: key.discoverable,
      createdAt: key.createdAt,
      lastUsedAt: key.lastUsedAt,
    },
    recoveryCodes: change.recoveryCodes,
  };
}

export async function renameSecurityKey(
  session: ActiveSession,
  keyId: string,
  name: string,
  info: RequestInfo,
  now = new Date(),
): Promise<{ ok: true } | Failure> {
  const refused = accountRefusalCode("account:2fa:change", session, now);
  if (refused) return { ok: false, code: refused };
  const userId = session.user.id;
  const key = await db().securityKey.findFirst({ where: { id: keyId, userId }, select: { name: true } });
  if (!key) return { ok: false, code: "key_unknown" };
  const cleanName = name.trim().slice(0, KEY_NAME_MAX);
  const mail = await db().$transaction(async (tx) => {
    await tx.securityKey.updateMany({ where: { id: keyId, userId }, data: { name: cleanName } });
    return recordEventIn(tx, userId, "2fa:key-renamed", info, { from: key.name, to: cleanName });
  });
  sendQueued(mail);
  return { ok: true };
}

/**
 * Removes a key. Removing the last second factor turns 2FA off, which the caller must have shown
 * and confirmed (`turnOff`): otherwise nothing changes and the answer is "last_factor".
 */
export async function removeSecurityKey(
  session: ActiveSession,
  keyId: string,
  turnOff: boolean,
  info: RequestInfo,
  now = new Date(),
): Promise<{ ok: true; turnedOff: boolean } | Failure> {
  const refused = accountRefusalCode("account:2fa:change", session, now);
  if (refused) return { ok: false, code: refused };
  const userId = session.user.id;
  const change = await changeFactors(
    userId,
    async (tx, before): Promise<ErrorCode | { name: string }> => {
      const key = await tx.securityKey.findFirst({ where: { id: keyId, userId }, select: { name: true } });
      if (!key) return "key_unknown";
      const last = (before.app ? 1 : 0) + before.keys === 1;
      if (last && !turnOff) return "last_factor";
      await tx.securityKey.delete({ where: { id: keyId } });
      return key;
    },
    {
      keepIdHash: session.idHash,
      now,
      record: async (tx, done) =>
        typeof done.result === "string"
          ? []
          : [
              ...(await recordEventIn(tx, userId, "2fa:key-removed", info, { name: done.result.name })),
              ...(await announceTransition(tx, userId, done, info, "security_key")),
            ],
    },
  );
  if (typeof change.result === "string") return { ok: false, code: change.result };
  return { ok: true, turnedOff: change.transition === "disabled" };
}

// ---- Assertions: second factor, sudo, passkey sign-in -----------------------------------------

/** Options for a second-factor or sudo assertion, bound to the (pending or full) session asking. */
export async function beginKeyAssertion(
  binding: string,
  userId: string,
  now = new Date(),
): Promise<{ ok: true; options: PublicKeyCredentialRequestOptionsJSON } | Failure> {
  const rp = relyingParty();
  if (!rp) return { ok: false, code: "security_keys_unavailable" };
  const keys = await db().securityKey.findMany({ where: { userId }, select: { credentialId: true, transports: true } });
  if (!keys.length) return { ok: false, code: "key_unknown" };
  const options = await generateAuthenticationOptions({
    rpID: rp.rpID,
    allowCredentials: keys.map((k) => ({ id: k.credentialId, transports: k.transports })),
    userVerification: "preferred",
  });
  await issueChallenge(binding, "authenticate", options.challenge, userId, now);
  return { ok: true, options };
}

/**
 * Options for passwordless sign-in: any passkey of this site, with user verification. Anyone may
 * ask, so asking is limited per address (each answer stores a challenge).
 */
export async function beginPasskeySignIn(
  binding: string,
  info: RequestInfo,
  now = new Date(),
): Promise<{ ok: true; options: PublicKeyCredentialRequestOptionsJSON } | Failure> {
  const rp = relyingParty();
  if (!rp) return { ok: false, code: "security_keys_unavailable" };
  const limited = await hitLimit(LIMITS.passkeyChallengePerIp, info.ip ?? "unknown", now);
  if (limited.limited) return { ok: false, code: "rate_limited", retryAt: limited.retryAt };
  const options = await generateAuthenticationOptions({ rpID: rp.rpID, userVerification: "required" });
  await issueChallenge(binding, "passkey", options.challenge, null, now);
  return { ok: true, options };
}

interface Assertion {
  userId: string;
  keyName: string;
  userVerified: boolean;
  /** What `acceptAssertion` stores, once the assertion is taken. */
  key: { id: string; signCount: bigint };
  newCounter: number;
  backedUp: boolean;
}

/**
 * Checks an assertion against the challenge issued to `binding` and, when `userId` is given, the
 * keys of that account only. The sign counter must move forward (when the key keeps one): a
 * counter at or below the stored one means a second copy of the key, which is refused, recorded
 * and emailed. A valid one counts once `acceptAssertion` has stored its counter.
 */
async function checkAssertion(
  responseJson: string,
  binding: string,
  purpose: Purpose,
  userId: string | null,
  info: RequestInfo,
  now: Date,
): Promise<({ ok: true } & Assertion) | Failure> {
  const rp = relyingParty();
  if (!rp) return { ok: false, code: "security_keys_unavailable" };
  const response = parseResponse<AuthenticationResponseJSON>(responseJson);
  if (!response) return { ok: false, code: "key_not_accepted" };
  const challenge = await takeChallenge(binding, purpose, now);
  if (!challenge.ok) return challenge;
  if (userId !== null && challenge.userId !== userId) return { ok: false, code: "key_challenge_expired" };
  const key = await db().securityKey.findUnique({ where: { credentialId: response.id } });
  if (!key || (userId !== null && key.userId !== userId)) return { ok: false, code: "key_unknown" };
  // A passkey names its account; it must be the one the key belongs to.
  const handle = response.response.userHandle;
  if (handle && Buffer.from(handle, "base64url").toString("utf8") !== key.userId)
    return { ok: false, code: "key_unknown" };
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      // Counter 0: the library's own counter check is replaced by ours below, which can record,
      // email, and settle races in the database.
      credential: {
        id: key.credentialId,
        publicKey: new Uint8Array(key.publicKey),
        counter: 0,
        transports: key.transports as never,
      },
      requireUserVerification: false,
    });
  } catch {
    return { ok: false, code: "key_not_accepted" };
  }
  if (!verified.verified) return { ok: false, code: "key_not_accepted" };
  const { newCounter, userVerified, credentialBackedUp } = verified.authenticationInfo;
  const stored = Number(key.signCount);
  if ((newCounter > 0 || stored > 0) && newCounter <= stored) {
    // Its own transaction: the refusal has nothing to roll back with, and is recorded all the same.
    await recordEvent(key.userId, "2fa:key-clone-suspected", info, {
      name: key.name,
      counter: newCounter,
      expectedAbove: stored,
    });
    return { ok: false, code: "key_cloned" };
  }
  return {
    ok: true,
    userId: key.userId,
    keyName: key.name,
    userVerified,
    key: { id: key.id, signCount: key.signCount },
    newCounter,
    backedUp: credentialBackedUp,
  };
}

/**
 * Takes a checked assertion in `tx` (for `spendFactor`): stores its counter with a compare-and-set,
 * so of two racing assertions only one counts (null for the other), and records and emails a key
 * sign-in from a user agent this account has never signed in from.
 */
async function acceptAssertion(
  tx: Prisma.TransactionClient,
  assertion: Assertion,
  info: RequestInfo,
  now: Date,
): Promise<string[] | null> {
  const { key, userId } = assertion;
  const { count } = await tx.securityKey.updateMany({
    where: { id: key.id, signCount: key.signCount },
    data: { signCount: BigInt(assertion.newCounter), lastUsedAt: now, backedUp: assertion.backedUp },
  });
  if (count !== 1) return null;
  const seen = await tx.securityEvent.findFirst({
    where: { userId, tag: { in: ["account:login-success", "account:passkey-login"] }, userAgent: info.userAgent },
    select: { id: true },
  });
  if (seen) return [];
  return recordEventIn(tx, userId, "2fa:key-new-browser", info, {
    name: assertion.keyName,
    browser: info.userAgent ?? "unknown browser",
  });
}

/**
 * The second-factor method for security keys (lib/accounts/two-factor.ts); `binding` is the asking
 * session. The key's use commits with what it leads to (`onSpent`), or neither does.
 */
export async function verifyKeyAssertion(
  userId: string,
  responseJson: string,
  binding: string,
  info: RequestInfo,
  now = new Date(),
  onSpent?: AfterFactor,
): Promise<{ ok: true } | Failure> {
  const result = await checkAssertion(responseJson, binding, "authenticate", userId, info, now);
  if (!result.ok) return result;
  const taken = await spendFactor((tx) => acceptAssertion(tx, result, info, now), onSpent);
  return taken ? { ok: true } : { ok: false, code: "key_challenge_expired" };
}

/**
 * Passwordless sign-in: a passkey with user verification stands for both factors. Limited per IP
 * and per account like a password, and refused while the account is locked out by failed
 * attempts, whichever way they were made. The key's use, the session it opens (its token is
 * returned for the cookie) and their history rows and emails commit together, or none does.
 */
export async function passkeySignIn(
  responseJson: string,
  binding: string,
  info: RequestInfo,
  now = new Date(),
): Promise<{ ok: true; userId: string; token: string } | Failure> {
  const ipKey = info.ip ?? "unknown";
  const claimed = parseResponse<AuthenticationResponseJSON>(responseJson);
  const owner = claimed
    ? await db().securityKey.findUnique({ where: { credentialId: claimed.id }, select: { userId: true } })
    : null;
  const limits: [typeof LIMITS.loginPerIp, string][] = [[LIMITS.loginPerIp, ipKey]];
  if (owner) {
    const accountSubject = `user:${owner.userId}`;
    const locked = await checkLimit(LIMITS.loginPerAccount, accountSubject, now);
    if (locked.limited) return { ok: false, code: "rate_limited", retryAt: locked.retryAt };
    limits.push([LIMITS.loginPerAccount, accountSubject]);
  }
  const state = await attempt(limits, now);
  if (state.limited) return { ok: false, code: "rate_limited", retryAt: state.retryAt };
  const result = await checkAssertion(responseJson, binding, "passkey", null, info, now);
  // Failures in their own transaction: a refused sign-in has nothing to roll back with, and is recorded all the same.
  if (!result.ok) {
    if (owner) await recordEvent(owner.userId, "account:login-failure", info, { reason: result.code });
    return result;
  }
  if (!result.userVerified) {
    await recordEvent(result.userId, "account:login-failure", info, { reason: "passkey_needs_verification" });
    return { ok: false, code: "passkey_needs_verification" };
  }
  const { userId } = result;
  let token = "";
  const taken = await spendFactor(
    (tx) => acceptAssertion(tx, result, info, now),
    async (tx) => {
      token = await openSession(tx, userId, "full", info, now);
      return recordEventIn(tx, userId, "account:passkey-login", info, { name: result.keyName });
    },
  );
  if (!taken) {
    // A racing use of the same key counted first: refused, and recorded as any refused sign-in is.
    await recordEvent(userId, "account:login-failure", info, { reason: "key_challenge_expired" });
    return { ok: false, code: "key_challenge_expired" };
  }
  for (const [limit, subject] of limits) await refundLimit(limit, subject);
  return { ok: true, userId, token };
}

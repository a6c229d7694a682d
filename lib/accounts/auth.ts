// Auth.js wiring. Auth.js refuses database sessions with credentials providers, so the "JWT" it
// stores is our opaque session token: encode returns it, decode looks its row up in the database.
// Deleting the row therefore signs the browser out, everywhere, at once.
// Auth.js's HTTP endpoints (/api/auth/*) are deliberately not mounted: sign-in and sign-out run in
// server actions, and no page needs the session, CSRF or provider listings those would publish.
import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { config, settled } from "@/lib/config";
import { requestInfoFrom } from "@/lib/http/request-info";
import { resolveSession } from "./sessions";
import { signOutHere } from "./signing-out";
import { passwordStep, secondFactorStep } from "./login";
import { passkeyBindingFrom, SESSION_COOKIE, sessionTokenFrom } from "./session-cookie";
import { passkeySignIn } from "./security-keys";
import { safeNext } from "./rules";

/** Carries a stable code (lib/errors.ts) and, when limited, the time to retry, to the sign-in action. */
export class SignInFailure extends CredentialsSignin {
  constructor(code: string, retryAt?: Date) {
    super();
    this.code = retryAt ? `${code}@${retryAt.toISOString()}` : code;
  }
}

/** How long the cookie lasts; the session row decides when the session ends (idle timeout, revocation). */
const COOKIE_MAX_AGE_S = 30 * 24 * 3600;

const cookieOptions = () =>
  ({ httpOnly: true, sameSite: "lax", path: "/", secure: config().baseUrl.startsWith("https:") }) as const;

declare module "next-auth" {
  interface User {
    /** The token of the session the sign-in opened, in the transaction that recorded it. */
    sid?: string;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: settled("authSecret"),
  trustHost: true,
  session: { strategy: "jwt", maxAge: COOKIE_MAX_AGE_S, updateAge: 0 },
  pages: { signIn: "/account/login", error: "/account/login" },
  cookies: {
    sessionToken: {
      name: SESSION_COOKIE,
      options: cookieOptions(),
    },
  },
  // Each `authorize` opens its session and records the sign-in before Auth.js writes the cookie:
  // nothing after it may refuse (no `callbacks.signIn`), or a refused sign-in would leave a session
  // row and a "signed in" history row behind for a browser that never got the cookie.
  providers: [
    Credentials({
      id: "password",
      credentials: { login: {}, password: {} },
      async authorize(credentials, request) {
        const info = requestInfoFrom(request.headers);
        const result = await passwordStep(String(credentials.login ?? ""), String(credentials.password ?? ""), info);
        if (!result.ok) throw new SignInFailure(result.code, result.retryAt);
        return { id: result.userId, sid: result.token };
      },
    }),
    Credentials({
      id: "second-factor",
      // `code` is an app or recovery code, or a security key's answer (JSON).
      credentials: { code: {} },
      async authorize(credentials, request) {
        const pending = sessionTokenFrom(request.headers.get("cookie"));
        const result = await secondFactorStep(
          pending,
          String(credentials.code ?? ""),
          requestInfoFrom(request.headers),
        );
        if (!result.ok) throw new SignInFailure(result.code, result.retryAt);
        return { id: result.userId, sid: result.token };
      },
    }),
    Credentials({
      // Passwordless: a passkey with user verification counts as both factors. The challenge is
      // bound to a short-lived cookie set when this browser asked for it.
      id: "passkey",
      credentials: { assertion: {} },
      async authorize(credentials, request) {
        const info = requestInfoFrom(request.headers);
        const binding = passkeyBindingFrom(request.headers.get("cookie"));
        if (!binding) throw new SignInFailure("key_challenge_expired");
        const result = await passkeySignIn(String(credentials.assertion ?? ""), binding, info);
        if (!result.ok) throw new SignInFailure(result.code, result.retryAt);
        return { id: result.userId, sid: result.token };
      },
    }),
  ],
  callbacks: {
    // `authorize` opened the session already, with the sign-in's history row: the cookie carries its token.
    jwt({ token, user, trigger }) {
      return trigger === "signIn" && user?.sid ? { sid: user.sid } : token;
    },
    // Pages read the session through lib/accounts/current.ts, never through Auth.js, so Auth.js's
    // view of a session carries nothing: no id, no stage, no address.
    async session({ session }) {
      return { expires: session.expires };
    },
    // Auth.js's own redirects follow the same rule as every other return address.
    redirect({ url, baseUrl }) {
      return `${baseUrl}${safeNext(url.startsWith(baseUrl) ? url.slice(baseUrl.length) || "/" : url)}`;
    },
  },
  jwt: {
    async encode({ token }) {
      return typeof token?.sid === "string" ? token.sid : "";
    },
    async decode({ token }) {
      const session = await resolveSession(token);
      if (!session) return null;
      return { sid: token };
    },
  },
  events: {
    async signOut(message) {
      const sid = "token" in message ? message.token?.sid : undefined;
      if (typeof sid !== "string") return;
      const { headers } = await import("next/headers");
      await signOutHere(sid, requestInfoFrom(await headers()));
    },
  },
  logger: {
    error(error) {
      // A failed sign-in is an expected outcome, reported to the user and the security history.
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      console.error(error);
    },
  },
}));

/**
 * Gives this browser the session that sign-up opened with the account (lib/accounts/users.ts
 * `signUp`): the cookie `jwt.encode` writes for the providers, without checking the password the
 * account was just created with, which would cost a second argon2id for nothing.
 */
export async function signInNewAccount(sessionToken: string): Promise<void> {
  const { cookies } = await import("next/headers");
  (await cookies()).set(SESSION_COOKIE, sessionToken, { ...cookieOptions(), maxAge: COOKIE_MAX_AGE_S });
}

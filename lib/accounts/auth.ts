// Auth.js wiring. Auth.js refuses database sessions with credentials providers, so the "JWT" it
// stores is our opaque session token: encode returns it, decode looks its row up in the database.
// Deleting the row therefore signs the browser out, everywhere, at once.
// Auth.js's HTTP endpoints (/api/auth/*) are deliberately not mounted: sign-in and sign-out run in
// server actions, and no page needs the session, CSRF or provider listings those would publish.
import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { config, settled } from "@/lib/config";
import { requestInfoFrom, type RequestInfo } from "@/lib/http/request-info";
import { createSession, deleteSessionByToken, resolveSession, type SessionStage } from "./sessions";
import { passwordStep } from "./login";
import { verifySecondFactor } from "./two-factor";
import { recordEvent } from "./events";
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
    stage?: SessionStage;
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
  providers: [
    Credentials({
      id: "password",
      credentials: { login: {}, password: {} },
      async authorize(credentials, request) {
        const info = requestInfoFrom(request.headers);
        const result = await passwordStep(String(credentials.login ?? ""), String(credentials.password ?? ""), info);
        if (!result.ok) throw new SignInFailure(result.code, result.retryAt);
        if (result.stage === "full") await recordEvent(result.userId, "account:login-success", info);
        return { id: result.userId, stage: result.stage };
      },
    }),
    Credentials({
      id: "second-factor",
      // `code` is an app or recovery code, or a security key's answer (JSON).
      credentials: { code: {} },
      async authorize(credentials, request) {
        const info = requestInfoFrom(request.headers);
        const token = sessionTokenFrom(request.headers.get("cookie"));
        const pending = await resolveSession(token);
        if (!pending || pending.stage !== "pending_2fa" || !token) throw new SignInFailure("second_factor_expired");
        const result = await verifySecondFactor(
          pending.user.id,
          String(credentials.code ?? ""),
          info,
          new Date(),
          pending.idHash,
        );
        if (!result.ok) throw new SignInFailure(result.code, result.retryAt);
        // The pending session is spent: the full one gets a new id (no session fixation).
        await deleteSessionByToken(token);
        await recordEvent(pending.user.id, "account:login-success", info, { secondFactor: result.method });
        return { id: pending.user.id, stage: "full" };
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
        return { id: result.userId, stage: "full" };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user, trigger }) {
      if (trigger === "signIn" && user?.id) {
        const { headers } = await import("next/headers");
        const sid = await createSession(user.id, user.stage ?? "full", requestInfoFrom(await headers()));
        return { sid };
      }
      return token;
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
      const session = await resolveSession(sid);
      await deleteSessionByToken(sid);
      if (session?.stage === "full") {
        const { headers } = await import("next/headers");
        await recordEvent(session.user.id, "account:logout", requestInfoFrom(await headers()));
      }
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
 * Signs in an account created a moment ago by this very request, as the password provider would
 * (the same session row, the same cookie that `jwt.encode` writes), without checking the password it
 * was just created with: that would cost a second argon2id for nothing.
 */
export async function signInNewAccount(userId: string, info: RequestInfo): Promise<void> {
  const { cookies } = await import("next/headers");
  const token = await createSession(userId, "full", info);
  (await cookies()).set(SESSION_COOKIE, token, { ...cookieOptions(), maxAge: COOKIE_MAX_AGE_S });
  await recordEvent(userId, "account:login-success", info);
}

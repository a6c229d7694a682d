"use client";
// The header's account links. The page arrives with a plain "Account" link (all a visitor without
// JavaScript gets: it leads to the account pages, or to sign-in); once the browser knows who is
// signed in (components/account/current-user.tsx), the username and "Sign out", or "Sign in" and "Register".
import Link from "next/link";
import { useActionState } from "react";
import { signOutAction } from "@/app/account/actions";
import { useCurrentUser } from "@/components/account/current-user";
import type { ActionState } from "@/lib/http/action";

export function AccountNav() {
  const { user, forget } = useCurrentUser();
  return (
    <nav className="site-nav" aria-label="Account">
      {user === undefined ? (
        <Link href="/account/settings">Account</Link>
      ) : user.username !== null ? (
        <>
          <Link href="/account/settings" data-testid="signed-in-as">
            {user.username}
          </Link>
          <SignOut onSignedOut={forget} />
        </>
      ) : (
        <>
          <Link href="/account/login">Sign in</Link>
          <Link href="/account/signup">Register</Link>
        </>
      )}
    </nav>
  );
}

/**
 * The header forgets the user only once the action has answered that the session is gone: until then
 * it says so ("Signing out…"), and a failure (the action's error, or no answer at all) keeps the user
 * shown and says why. (Without JavaScript there is no form to send: the header is a plain link.)
 */
function SignOut({ onSignedOut }: { onSignedOut: () => void }) {
  const [state, action, pending] = useActionState(async (prev: ActionState, form: FormData) => {
    const result = await signOutAction(prev, form).catch((): ActionState => ({
      error: "The server did not answer. Please try again.",
    }));
    if (result.ok) onSignedOut();
    return result;
  }, {});
  return (
    <form action={action} className="sign-out">
      <button type="submit" className="link-button" disabled={pending} aria-busy={pending}>
        {pending ? "Signing out…" : "Sign out"}
      </button>
      {state.error && (
        <span role="alert" className="sign-out-error" data-testid="sign-out-error">
          Not signed out: {state.error}
        </span>
      )}
    </form>
  );
}

"use client";
// The header's account links. The page arrives with a plain "Account" link (all a visitor without
// JavaScript gets: it leads to the account pages, or to sign-in); once the browser knows who is
// signed in (components/account/current-user.tsx), the username and "Sign out", or "Sign in" and "Register".
import Link from "next/link";
import { signOutAction } from "@/app/account/actions";
import { useCurrentUser } from "@/components/account/current-user";

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
          <form action={signOutAction} onSubmit={forget}>
            <button type="submit" className="link-button">
              Sign out
            </button>
          </form>
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

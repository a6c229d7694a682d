// The header on every page: search, and who is signed in.
import Link from "next/link";
import { currentSession } from "@/lib/accounts/current";
import { signOutAction } from "@/app/account/actions";

export async function SiteHeader() {
  const session = await currentSession();
  return (
    <header className="site-header">
      <div className="inner">
        <Link href="/" className="logo">
          <span className="logo-mark" aria-hidden="true">W</span>
          Wheelhouse
        </Link>
        <form action="/search" method="get" role="search" className="header-search">
          <label htmlFor="header-q" className="skip-link">Search projects</label>
          <input id="header-q" type="search" name="q" placeholder="Search projects" maxLength={200} />
          <button type="submit">Search</button>
        </form>
        <nav className="site-nav" aria-label="Account">
          {session ? (
            <>
              <Link href="/account/settings" data-testid="signed-in-as">
                {session.user.username}
              </Link>
              <form action={signOutAction}>
                <button type="submit" className="link-button">Sign out</button>
              </form>
            </>
          ) : (
            <>
              <Link href="/account/login">Sign in</Link>
              <Link href="/account/signup">Register</Link>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}

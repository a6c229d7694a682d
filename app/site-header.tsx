// The header on every page: search, and who is signed in (filled in by the browser, so the header
// is the same bytes for every visitor: components/account/current-user.tsx).
import Link from "next/link";
import { AccountNav } from "./account-nav";

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="inner">
        <Link href="/" className="logo">
          <span className="logo-mark" aria-hidden="true">
            W
          </span>
          Wheelhouse
        </Link>
        <form action="/search" method="get" role="search" className="header-search">
          <label htmlFor="header-q" className="skip-link">
            Search projects
          </label>
          <input id="header-q" type="search" name="q" placeholder="Search projects" maxLength={200} />
          <button type="submit">Search</button>
        </form>
        <AccountNav />
      </div>
    </header>
  );
}

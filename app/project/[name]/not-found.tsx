import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Project not found" };

export default function ProjectNotFound() {
  return (
    <div className="narrow" data-testid="project-not-found">
      <h1>Project not found</h1>
      <p>
        No project or release on this index matches this address. The name may be mistyped, or it may never have been
        published here.
      </p>
      <form action="/search" method="get" role="search" className="search-bar">
        <label htmlFor="nf-q" className="skip-link">
          Search projects
        </label>
        <input id="nf-q" type="search" name="q" placeholder="Search projects" maxLength={200} />
        <button type="submit" className="button">
          Search
        </button>
      </form>
      <p>
        <Link href="/search">Browse all projects</Link> or go to the <Link href="/">home page</Link>.
      </p>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { pipInstallCommand } from "@/lib/snippets";
import { recentProjects, siteCounts } from "@/lib/browse/pages";
import { PipInstall } from "@/components/browse/pip-install";
import { RecentProjects } from "@/components/browse/recent-projects";
import { SiteCounts } from "@/components/browse/site-counts";

export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { absolute: "Wheelhouse · your Python package index" },
  alternates: {
    types: {
      "application/rss+xml": [
        { url: "/rss/updates.xml", title: "Wheelhouse: latest releases" },
        { url: "/rss/packages.xml", title: "Wheelhouse: newest projects" },
      ],
    },
  },
};

export default async function HomePage() {
  const [counts, recent] = await Promise.all([siteCounts(), recentProjects(10)]);
  return (
    <>
      <section className="hero">
        <h1>Find, install and publish Python packages</h1>
        <p className="muted">Wheelhouse is your team&apos;s own Python package index, for pip and twine.</p>
        <form action="/search" method="get" role="search" className="hero-search">
          <label htmlFor="home-q" className="skip-link">
            Search projects
          </label>
          <input id="home-q" type="search" name="q" placeholder="Search projects" maxLength={200} />
          <button type="submit" className="button">
            Search
          </button>
        </form>
        <SiteCounts counts={counts} />
      </section>
      <div className="home-grid">
        <section className="card" aria-labelledby="recent-h">
          <h2 id="recent-h">Recently updated</h2>
          <RecentProjects projects={recent} />
        </section>
        <section className="card" aria-labelledby="start-h">
          <h2 id="start-h">Getting started</h2>
          <p>Point pip at this index to install from it:</p>
          <PipInstall command={pipInstallCommand("NAME")} testId="index-install" />
          <p>
            To publish, <Link href="/account/signup">create an account</Link>, turn on two-factor authentication and
            create an API token, then upload with twine.
          </p>
          <p>
            <Link href="/help">Read the help</Link> for pip and twine configuration.
          </p>
          <p className="small" data-testid="site-feeds">
            RSS feeds: <a href="/rss/updates.xml">latest releases</a> · <a href="/rss/packages.xml">newest projects</a>
          </p>
        </section>
      </div>
    </>
  );
}

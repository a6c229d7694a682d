import Link from "next/link";

export default function HomePage() {
  return (
    <>
      <section className="hero">
        <h1>Find, install and publish Python packages</h1>
        <p className="muted">Wheelhouse is your team&apos;s own Python package index, for pip and twine.</p>
        <form action="/search" method="get" role="search">
          <label htmlFor="home-q" className="skip-link">Search projects</label>
          <input id="home-q" type="search" name="q" placeholder="Search projects" maxLength={200} />
          <button type="submit" className="button">Search</button>
        </form>
      </section>
      <section className="card">
        <h2>Getting started</h2>
        <p>
          Install a package: <code>pip install --index-url {"<this site>"}/simple/ NAME</code>. To publish, {" "}
          <Link href="/account/signup">create an account</Link>, turn on two-factor authentication and create an API
          token. <Link href="/help">Read the help</Link>.
        </p>
      </section>
    </>
  );
}

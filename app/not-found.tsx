import Link from "next/link";

export default function NotFound() {
  return (
    <div className="narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address. It may have been removed, or the link may be mistyped.</p>
      <p>
        <Link href="/">Go to the home page</Link> or search for a project above.
      </p>
    </div>
  );
}

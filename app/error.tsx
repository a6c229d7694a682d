"use client";
// Shown when a page fails: a plain apology and a retry, never a stack trace.
export default function ErrorPage({ reset, error }: { reset: () => void; error: Error & { digest?: string } }) {
  return (
    <div className="narrow">
      <h1>Something went wrong</h1>
      <p>This page could not be shown. Nothing you submitted was half-saved; please try again.</p>
      {error.digest && <p className="muted small">Reference: {error.digest}</p>}
      <button type="button" className="button" onClick={reset}>Try again</button>
    </div>
  );
}

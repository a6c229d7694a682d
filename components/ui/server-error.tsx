"use client";
// What a visitor sees when the server failed: an apology, a retry and a way home, never a stack trace.
export function ServerErrorMessage({ digest, reset }: { digest?: string; reset: () => void }) {
  return (
    <div className="narrow" data-testid="server-error">
      <h1>Something went wrong</h1>
      <p>This page could not be shown because of a problem on the server. Nothing you submitted was half-saved.</p>
      <p>
        Please try again in a moment. If it keeps happening, tell the people who run this index and quote the reference
        below.
      </p>
      {digest && (
        <p className="muted small">
          Reference: <code>{digest}</code>
        </p>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={reset}>
          Try again
        </button>
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a href="/" className="button button-secondary">
          Go to the home page
        </a>
      </div>
    </div>
  );
}

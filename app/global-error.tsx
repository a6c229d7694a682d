"use client";
// The last resort, when even the site's layout failed (e.g. the database is unreachable): a whole
// page of its own, styled like the rest, that needs nothing from the server.
import { ServerErrorMessage } from "@/components/ui/server-error";
import "./globals.css";

export default function GlobalError({ reset, error }: { reset: () => void; error: Error & { digest?: string } }) {
  return (
    <html lang="en">
      <head>
        <title>Something went wrong · Wheelhouse</title>
      </head>
      <body>
        <header className="site-header">
          <div className="inner">
            {/* A plain link: the client router may be what broke. */}
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
            <a href="/" className="logo">
              <span className="logo-mark" aria-hidden="true">
                W
              </span>
              Wheelhouse
            </a>
          </div>
        </header>
        <main id="content">
          <ServerErrorMessage digest={error.digest} reset={reset} />
        </main>
      </body>
    </html>
  );
}

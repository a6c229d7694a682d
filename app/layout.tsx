import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SiteHeader } from "@/app/site-header";
import { pipInstallCommand } from "@/lib/snippets";
import { ActionOutcomeProvider } from "@/components/ui/action-outcome";
import { CurrentUserProvider } from "@/components/account/current-user";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Wheelhouse", template: "%s · Wheelhouse" },
  description: "A self-hosted Python package index",
};

// Rendered per request, always: each response's scripts carry that response's CSP nonce
// (lib/http/security-headers.ts), which a page prerendered at build time could not. No page reads
// the session for the header any more, so without this some would turn static.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <CurrentUserProvider>
          <a href="#content" className="skip-link">
            Skip to content
          </a>
          <SiteHeader />
          <main id="content">
            <ActionOutcomeProvider>{children}</ActionOutcomeProvider>
          </main>
          <footer className="site-footer">
            <div className="inner">
              <span>Wheelhouse — a self-hosted Python package index.</span>
              <span>
                Install with <code>{pipInstallCommand("NAME")}</code> · <Link href="/help">Help</Link>
              </span>
            </div>
          </footer>
        </CurrentUserProvider>
      </body>
    </html>
  );
}

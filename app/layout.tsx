import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SiteHeader } from "@/app/site-header";
import { pipInstallCommand } from "@/lib/snippets";
import { ActionOutcomeProvider } from "@/components/ui/action-outcome";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Wheelhouse", template: "%s · Wheelhouse" },
  description: "A self-hosted Python package index",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a href="#content" className="skip-link">Skip to content</a>
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
      </body>
    </html>
  );
}

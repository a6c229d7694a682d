"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

export function ManageTabs({ base }: { base: string }) {
  const pathname = usePathname();
  const tabs = [
    { href: base, label: "Releases" },
    { href: `${base}/collaborators`, label: "Collaborators" },
    { href: `${base}/history`, label: "History" },
    { href: `${base}/settings`, label: "Settings" },
  ];
  return (
    <nav className="tabs" aria-label="Manage project">
      {tabs.map((t) => (
        <Link key={t.href} href={t.href} aria-current={pathname === t.href ? "page" : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}

"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const ITEMS = [
  { href: "/account/settings", label: "Account settings" },
  { href: "/account/security", label: "Security" },
  { href: "/account/projects", label: "Your projects" },
  { href: "/account/tokens", label: "API tokens" },
  { href: "/account/invitations", label: "Invitations" },
  { href: "/account/history", label: "Security history" },
];

export function AccountMenu() {
  const pathname = usePathname();
  return (
    <nav className="account-menu" aria-label="Account settings">
      {ITEMS.map((item) => (
        <Link key={item.href} href={item.href} aria-current={pathname === item.href ? "page" : undefined}>
          {item.label}
        </Link>
      ))}
    </nav>
  );
}

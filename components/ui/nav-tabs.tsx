"use client";
// A row of links to the pages of one section, the current one marked for the eye and for screen readers.
import Link from "next/link";
import { usePathname } from "next/navigation";

export function NavTabs({
  items,
  label,
  className,
}: {
  items: readonly { href: string; label: string }[];
  label: string;
  className: string;
}) {
  const pathname = usePathname();
  return (
    <nav className={className} aria-label={label}>
      {items.map((item) => (
        <Link key={item.href} href={item.href} aria-current={pathname === item.href ? "page" : undefined}>
          {item.label}
        </Link>
      ))}
    </nav>
  );
}

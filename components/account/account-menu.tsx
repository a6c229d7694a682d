import { NavTabs } from "@/components/ui/nav-tabs";

const ITEMS = [
  { href: "/account/settings", label: "Account settings" },
  { href: "/account/security", label: "Security" },
  { href: "/account/projects", label: "Your projects" },
  { href: "/account/tokens", label: "API tokens" },
  { href: "/account/invitations", label: "Invitations" },
  { href: "/account/history", label: "Security history" },
];

export function AccountMenu() {
  return <NavTabs items={ITEMS} label="Account settings" className="account-menu" />;
}

import { NavTabs } from "@/components/ui/nav-tabs";

export function ManageTabs({ base }: { base: string }) {
  const tabs = [
    { href: base, label: "Releases" },
    { href: `${base}/collaborators`, label: "Collaborators" },
    { href: `${base}/history`, label: "History" },
    { href: `${base}/settings`, label: "Settings" },
  ];
  return <NavTabs items={tabs} label="Manage project" className="tabs" />;
}

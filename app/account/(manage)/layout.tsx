// Account settings: every page here needs a fully signed-in session.
import type { ReactNode } from "react";
import { requireSession } from "@/lib/accounts/current";
import { AccountMenu } from "@/components/account/account-menu";

export default async function ManageLayout({ children }: { children: ReactNode }) {
  await requireSession("/account/settings");
  return (
    <div className="account-layout">
      <AccountMenu />
      <div>{children}</div>
    </div>
  );
}

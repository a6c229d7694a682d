// Account settings: every page here needs a fully signed-in session.
import type { ReactNode } from "react";
import { currentSession } from "@/lib/accounts/current";
import { AccountMenu } from "@/components/account/account-menu";

export default async function ManageLayout({ children }: { children: ReactNode }) {
  // Each page sends a signed-out visitor to sign in and back to that same page (a security email
  // links straight to /account/tokens, say); a layout does not know the path, so it only steps aside.
  if (!(await currentSession())) return children;
  return (
    <div className="account-layout">
      <AccountMenu />
      <div>{children}</div>
    </div>
  );
}

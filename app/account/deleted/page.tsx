import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Account deleted" };

export default function AccountDeletedPage() {
  return (
    <div className="narrow" data-testid="account-deleted">
      <h1>Your account was deleted</h1>
      <p>
        You are signed out everywhere, and your API tokens no longer work. We sent a confirmation to your email address.
      </p>
      <p>
        <Link href="/">Go to the home page</Link>
      </p>
    </div>
  );
}

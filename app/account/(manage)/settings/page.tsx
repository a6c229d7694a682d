import type { Metadata } from "next";
import { requireSession } from "@/lib/accounts/current";
import { SudoGate } from "@/components/account/sudo-gate";
import { ChangeEmailForm, ChangePasswordForm, ResendVerificationForm } from "./settings-forms";

export const metadata: Metadata = { title: "Account settings" };

export default async function SettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireSession("/account/settings");
  const { welcome } = await searchParams;
  const { user } = session;
  return (
    <>
      <h1>Account settings</h1>
      {welcome === "1" && (
        <p className="banner banner-ok" role="status">
          Welcome to Wheelhouse, {user.username}! We sent a verification link to {user.email}.
        </p>
      )}
      {!user.emailVerified && (
        <div className="banner banner-warn" data-testid="unverified-banner">
          <p>
            <strong>Your email address is not verified yet.</strong> Until it is, you cannot enable two-factor
            authentication, create API tokens or publish packages.
          </p>
          <ResendVerificationForm />
        </div>
      )}
      <section className="card" aria-labelledby="profile-h">
        <h2 id="profile-h">Profile</h2>
        <p>
          Username: <strong data-testid="account-username">{user.username}</strong>
        </p>
        <p>
          Email: <strong data-testid="account-email">{user.email}</strong>{" "}
          {user.emailVerified ? <span className="pill pill-ok">Verified</span> : <span className="pill pill-warn">Unverified</span>}
        </p>
      </section>
      <SudoGate what="change your email address or password">
        <section className="card" aria-labelledby="email-h">
          <h2 id="email-h">Change email address</h2>
          <ChangeEmailForm />
        </section>
        <section className="card" aria-labelledby="password-h">
          <h2 id="password-h">Change password</h2>
          <ChangePasswordForm />
        </section>
      </SudoGate>
    </>
  );
}

import type { Metadata } from "next";
import { requireSession } from "@/lib/accounts/current";
import Link from "next/link";
import { SudoGate } from "@/app/account/(manage)/sudo-gate";
import { DeleteByTyping } from "@/components/manage/delete-by-typing";
import { soleOwnedProjects } from "@/lib/projects/member-projects";
import { deleteAccountAction } from "./actions";
import { ChangeEmailForm, ChangePasswordForm, ResendVerificationForm } from "./settings-forms";

export const metadata: Metadata = { title: "Account settings" };

export default async function SettingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requireSession("/account/settings");
  const { welcome } = await searchParams;
  const { user } = session;
  const soleOwned = await soleOwnedProjects(user.id);
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
          {user.emailVerified ? (
            <span className="pill pill-ok">Verified</span>
          ) : (
            <span className="pill pill-warn">Unverified</span>
          )}
        </p>
      </section>
      <SudoGate what="change your email address or password, or delete your account">
        <section className="card" aria-labelledby="email-h">
          <h2 id="email-h">Change email address</h2>
          <ChangeEmailForm />
        </section>
        <section className="card" aria-labelledby="password-h">
          <h2 id="password-h">Change password</h2>
          <ChangePasswordForm />
        </section>
        {soleOwned.length === 0 && (
          <section className="card card-danger" aria-labelledby="delete-account-h" data-testid="delete-account">
            <h2 id="delete-account-h">Delete account</h2>
            <p>
              Deleting your account signs you out everywhere and removes your API tokens, your roles in other
              people&apos;s projects and your security history. Project histories keep your name, and the username{" "}
              <strong>{user.username}</strong> can never be registered again. This cannot be undone.
            </p>
            <DeleteByTyping
              summary="Delete my account…"
              name={user.username}
              action={deleteAccountAction}
              hidden={{}}
              submit="Delete my account"
              testId="delete-account-form"
            />
          </section>
        )}
      </SudoGate>
      {soleOwned.length > 0 && (
        <section className="card card-danger" aria-labelledby="delete-account-h" data-testid="delete-account">
          <h2 id="delete-account-h">Delete account</h2>
          <p>
            You cannot delete your account while you are the only owner of these projects. Add another owner (Manage
            project → Collaborators) or delete each project first:
          </p>
          <ul data-testid="sole-owned-projects">
            {soleOwned.map((p) => (
              <li key={p.normalizedName}>
                <Link href={`/manage/project/${p.normalizedName}/collaborators`}>{p.name}</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSession } from "@/lib/accounts/current";
import { safeNext } from "@/lib/accounts/rules";
import { securityKeysUnavailable } from "@/lib/accounts/security-keys";
import { factorsOf } from "@/lib/accounts/factors";
import { TwoFactorForm } from "./two-factor-form";

export const metadata: Metadata = { title: "Two-factor authentication" };

export default async function TwoFactorPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const next = safeNext((await searchParams).next);
  const session = await getSession();
  if (session?.stage === "full") redirect(next);
  if (!session) {
    return (
      <div className="narrow">
        <h1>Two-factor authentication</h1>
        <p className="banner banner-warn">
          Your sign-in took too long or was not started. Enter your username and password again.
        </p>
        <Link className="button" href={`/account/login?next=${encodeURIComponent(next)}`}>
          Sign in
        </Link>
      </div>
    );
  }
  const factors = await factorsOf(session.user.id);
  return (
    <div className="narrow">
      <h1>Two-factor authentication</h1>
      <p>
        Your account is protected by a second factor.{" "}
        {factors.keys
          ? "Use your security key, or enter a code, to finish signing in."
          : "Enter a code to finish signing in."}
      </p>
      <div className="card">
        <TwoFactorForm next={next} keys={factors.keys > 0} unavailable={securityKeysUnavailable()} />
      </div>
      <p className="muted small">Lost your device? Use a recovery code, or ask this Wheelhouse&apos;s administrator.</p>
    </div>
  );
}

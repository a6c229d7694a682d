import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentSession } from "@/lib/accounts/current";
import { safeNext } from "@/lib/accounts/rules";
import { securityKeysUnavailable } from "@/lib/accounts/security-keys";
import { LoginForm } from "./login-form";
import { PasskeyButton } from "./passkey-button";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNext(params.next);
  if (await currentSession()) redirect(next);
  return (
    <div className="narrow">
      <h1>Sign in to Wheelhouse</h1>
      {params.reset === "1" && (
        <p className="banner banner-ok" role="status">
          Your password was changed and every session was signed out. Sign in with your new password.
        </p>
      )}
      <div className="card">
        <LoginForm next={next} />
      </div>
      <div className="card">
        <PasskeyButton next={next} unavailable={securityKeysUnavailable()} />
      </div>
      <p className="muted">
        <Link href="/account/reset-password">Forgot your password?</Link> · No account yet?{" "}
        <Link href="/account/signup">Register</Link>.
      </p>
    </div>
  );
}

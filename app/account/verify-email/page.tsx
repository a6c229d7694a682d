import type { Metadata } from "next";
import Link from "next/link";
import { verifyEmailToken } from "@/lib/accounts/users";
import { requestInfo } from "@/lib/http/request-info";
import { messageFor } from "@/lib/errors";

export const metadata: Metadata = { title: "Verify your email address" };

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const token = (await searchParams).token;
  const result = typeof token === "string" ? await verifyEmailToken(token, await requestInfo()) : null;
  return (
    <div className="narrow">
      <h1>Verify your email address</h1>
      {result?.ok ? (
        <p className="banner banner-ok" role="status" data-testid="verify-result">
          Thank you: <strong>{result.email}</strong> is verified.
        </p>
      ) : (
        <p className="banner banner-error" role="status" data-testid="verify-result">
          {messageFor(result?.code ?? "link_invalid")} You can send a new link from your account settings.
        </p>
      )}
      <Link href="/account/settings">Go to account settings</Link>
    </div>
  );
}

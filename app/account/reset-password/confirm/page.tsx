import type { Metadata } from "next";
import Link from "next/link";
import { resetTokenIsValid } from "@/lib/accounts/password-reset";
import { messageFor } from "@/lib/errors";
import { CompleteResetForm } from "../reset-forms";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ConfirmResetPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const token = (await searchParams).token;
  const valid = typeof token === "string" && (await resetTokenIsValid(token));
  return (
    <div className="narrow">
      <h1>Choose a new password</h1>
      {valid ? (
        <div className="card">
          <CompleteResetForm token={token} />
        </div>
      ) : (
        <>
          <p className="banner banner-error" role="status">
            {messageFor("link_invalid")}
          </p>
          <Link href="/account/reset-password">Ask for a new link</Link>
        </>
      )}
    </div>
  );
}

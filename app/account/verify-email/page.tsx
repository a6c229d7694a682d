// Opening a verification link changes nothing (mail scanners and other people's browsers open links
// too): the page shows what the link would do, and only its owner's "Confirm" applies it.
import type { Metadata } from "next";
import Link from "next/link";
import { currentSession } from "@/lib/accounts/current";
import { describeEmailLink } from "@/lib/accounts/users";
import { messageFor } from "@/lib/errors";
import { ActionForm } from "@/components/manage/action-form";
import { confirmEmailAction } from "./actions";

export const metadata: Metadata = { title: "Verify your email address" };

export default async function VerifyEmailPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const token = (await searchParams).token;
  const session = await currentSession();
  const link = typeof token === "string" && session ? await describeEmailLink(token, session.user.id) : null;
  let body;
  if (typeof token !== "string" || link?.state === "invalid") {
    body = (
      <>
        <p className="banner banner-error" role="status" data-testid="verify-result">
          {messageFor("link_invalid")} You can send a new link from your account settings.
        </p>
        <Link href="/account/settings">Go to account settings</Link>
      </>
    );
  } else if (!session || !link) {
    const here = `/account/verify-email?token=${encodeURIComponent(token)}`;
    body = (
      <>
        <p data-testid="verify-result">Sign in to the account this link was sent for, then confirm the address.</p>
        <Link className="button" href={`/account/login?next=${encodeURIComponent(here)}`}>
          Sign in to confirm
        </Link>
      </>
    );
  } else if (link.state === "other_account") {
    body = (
      <p className="banner banner-error" role="status" data-testid="verify-result">
        {messageFor("link_other_account")}
      </p>
    );
  } else {
    body = (
      <div className="card">
        <p data-testid="verify-result">
          {link.change ? (
            <>
              Change your account&apos;s email address from <strong>{link.currentEmail}</strong> to{" "}
              <strong>{link.email}</strong>?
            </>
          ) : (
            <>
              Confirm that <strong>{link.email}</strong> is your email address.
            </>
          )}
        </p>
        <ActionForm
          action={confirmEmailAction}
          hidden={{ token }}
          submit={link.change ? "Change my email address" : "Verify my email address"}
          testId="verify-form"
        />
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Verify your email address</h1>
      {body}
    </div>
  );
}

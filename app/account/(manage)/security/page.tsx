import type { Metadata } from "next";
import { requireSession, inSudoMode } from "@/lib/accounts/current";
import { listSessions } from "@/lib/accounts/sessions";
import { remainingRecoveryCodes } from "@/lib/accounts/two-factor";
import { describeUserAgent } from "@/lib/http/user-agent";
import { LocalTime } from "@/components/ui/local-time";
import { SudoGate } from "@/components/account/sudo-gate";
import { TotpEnrolment } from "@/components/account/totp-enrolment";
import {
  DisableTwoFactorForm,
  RegenerateCodesForm,
  RevokeOtherSessionsForm,
  RevokeSessionForm,
} from "./security-forms";

export const metadata: Metadata = { title: "Security" };

const NOTICES: Record<string, string> = {
  "2fa-disabled": "Two-factor authentication is off, and your other sessions were signed out.",
};

export default async function SecurityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireSession("/account/security");
  const done = (await searchParams).done;
  const notice = typeof done === "string" ? NOTICES[done] : undefined;
  const { user } = session;
  const [sessions, remaining] = await Promise.all([
    listSessions(user.id),
    user.twoFactorEnabled ? remainingRecoveryCodes(user.id) : Promise.resolve(0),
  ]);
  const sudo = inSudoMode(session);
  return (
    <>
      <h1>Security</h1>
      {notice && <p className="banner banner-ok" role="status" data-testid="security-notice">{notice}</p>}
      <section className="card" aria-labelledby="tfa-h">
        <h2 id="tfa-h">
          Two-factor authentication{" "}
          {user.twoFactorEnabled ? (
            <span className="pill pill-ok" data-testid="2fa-state">On</span>
          ) : (
            <span className="pill pill-warn" data-testid="2fa-state">Off</span>
          )}
        </h2>
        {user.twoFactorEnabled ? (
          <p>
            Signing in asks for a code from your authenticator app. You have{" "}
            <strong data-testid="recovery-remaining">{remaining}</strong> unused recovery code{remaining === 1 ? "" : "s"}.
          </p>
        ) : user.emailVerified ? (
          <TotpEnrolment />
        ) : (
          <p className="banner banner-warn">Verify your email address before you enable two-factor authentication.</p>
        )}
      </section>

      <section className="card" aria-labelledby="sessions-h">
        <h2 id="sessions-h">Active sessions</h2>
        <div className="table-wrap">
          <table data-testid="sessions">
            <thead>
              <tr><th>Client</th><th>IP address</th><th>Signed in</th><th>Last seen</th><th /></tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.idHash}>
                  <td>{describeUserAgent(s.userAgent)}</td>
                  <td>{s.ip ?? "—"}</td>
                  <td><LocalTime date={s.createdAt} /></td>
                  <td><LocalTime date={s.lastSeenAt} /></td>
                  <td>
                    {s.idHash === session.idHash ? (
                      <span className="pill pill-ok">This session</span>
                    ) : sudo ? (
                      <RevokeSessionForm idHash={s.idHash} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <h2 id="sensitive-h">Sensitive changes</h2>
      <SudoGate what="change your security settings">
        <section className="card stack" aria-labelledby="sensitive-h">
          <RevokeOtherSessionsForm />
          {user.twoFactorEnabled && (
            <>
              <RegenerateCodesForm />
              <DisableTwoFactorForm />
            </>
          )}
        </section>
      </SudoGate>
    </>
  );
}

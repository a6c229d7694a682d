import type { Metadata } from "next";
import { requireSession, inSudoMode } from "@/lib/accounts/current";
import { listSessions } from "@/lib/accounts/sessions";
import { remainingRecoveryCodes } from "@/lib/accounts/two-factor";
import { listSecurityKeys, securityKeysUnavailable } from "@/lib/accounts/security-keys";
import { factorsOf } from "@/lib/accounts/factors";
import { describeUserAgent } from "@/lib/http/user-agent";
import { LocalTime } from "@/components/ui/local-time";
import { SudoGate } from "@/app/account/(manage)/sudo-gate";
import { TotpEnrolment } from "@/app/account/(manage)/security/totp-enrolment";
import { AddSecurityKey, RemoveSecurityKey, RenameSecurityKey } from "@/app/account/(manage)/security/security-keys";
import {
  DisableTwoFactorForm,
  RegenerateCodesForm,
  RemoveAppForm,
  RevokeOtherSessionsForm,
  RevokeSessionForm,
} from "./security-forms";

export const metadata: Metadata = { title: "Security" };

const NOTICES: Record<string, string> = {
  "2fa-disabled": "Two-factor authentication is off, and your other sessions were signed out.",
};

export default async function SecurityPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requireSession("/account/security");
  const done = (await searchParams).done;
  const notice = typeof done === "string" ? NOTICES[done] : undefined;
  const { user } = session;
  const [sessions, remaining, keys, factors] = await Promise.all([
    listSessions(user.id),
    user.twoFactorEnabled ? remainingRecoveryCodes(user.id) : Promise.resolve(0),
    listSecurityKeys(user.id),
    factorsOf(user.id),
  ]);
  const sudo = inSudoMode(session);
  const onlyFactor = factors.keys + (factors.app ? 1 : 0) === 1;
  const unavailable = securityKeysUnavailable();
  return (
    <>
      <h1>Security</h1>
      {notice && (
        <p className="banner banner-ok" role="status" data-testid="security-notice">
          {notice}
        </p>
      )}
      <section className="card" aria-labelledby="tfa-h">
        <h2 id="tfa-h">
          Two-factor authentication{" "}
          {user.twoFactorEnabled ? (
            <span className="pill pill-ok" data-testid="2fa-state">
              On
            </span>
          ) : (
            <span className="pill pill-warn" data-testid="2fa-state">
              Off
            </span>
          )}
        </h2>
        {user.twoFactorEnabled ? (
          <p>
            Signing in asks for a second factor:{" "}
            {[
              factors.app && "a code from your authenticator app",
              factors.keys && `one of your security keys (${factors.keys})`,
            ]
              .filter(Boolean)
              .join(" or ")}
            . You have <strong data-testid="recovery-remaining">{remaining}</strong> unused recovery code
            {remaining === 1 ? "" : "s"}.
          </p>
        ) : (
          <p>Add an authenticator app or a security key: signing in will then ask for it after your password.</p>
        )}
        {!user.emailVerified && (
          <p className="banner banner-warn">Verify your email address before you enable two-factor authentication.</p>
        )}
        <h3 id="keys-h">Security keys and passkeys</h3>
        {keys.length ? (
          <table data-testid="security-keys" aria-labelledby="keys-h" className="stack-rows">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Added</th>
                <th>Last used</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <td data-label="Name">{k.name}</td>
                  <td data-label="Kind">
                    {k.passkey ? <span className="pill pill-ok">Passkey</span> : "Security key"}
                  </td>
                  <td data-label="Added">
                    <LocalTime date={k.createdAt} />
                  </td>
                  <td data-label="Last used">{k.lastUsedAt ? <LocalTime date={k.lastUsedAt} /> : "Never"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">
            No security keys yet. A key (such as a YubiKey) or a passkey on your phone or laptop cannot be phished.
          </p>
        )}
        {unavailable && (
          <p className="banner banner-warn" data-testid="keys-unavailable-note">
            {unavailable}
          </p>
        )}
      </section>

      <h2 id="sensitive-h">Change your second factors and sessions</h2>
      <SudoGate what="change your second factors or sessions">
        {user.emailVerified && (
          <section className="card stack" aria-labelledby="add-factor-h">
            <h3 id="add-factor-h">Add a second factor</h3>
            {!factors.app && <TotpEnrolment />}
            <AddSecurityKey unavailable={unavailable} />
          </section>
        )}
        {keys.length > 0 && (
          <section className="card stack" aria-labelledby="manage-keys-h">
            <h3 id="manage-keys-h">Your security keys</h3>
            {keys.map((k) => (
              <div key={k.id} className="stack" data-testid="manage-key">
                <RenameSecurityKey id={k.id} name={k.name} />
                <RemoveSecurityKey id={k.id} name={k.name} last={onlyFactor} />
              </div>
            ))}
          </section>
        )}
        <section className="card stack" aria-labelledby="sensitive-h">
          <RevokeOtherSessionsForm />
          {user.twoFactorEnabled && (
            <>
              <RegenerateCodesForm />
              {factors.app && factors.keys > 0 && <RemoveAppForm />}
              <DisableTwoFactorForm />
            </>
          )}
        </section>
      </SudoGate>

      <section className="card" aria-labelledby="sessions-h">
        <h2 id="sessions-h">Active sessions</h2>
        <table data-testid="sessions" className="stack-rows">
          <thead>
            <tr>
              <th>Client</th>
              <th>IP address</th>
              <th>Signed in</th>
              <th>Last seen</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.idHash}>
                <td data-label="Client">{describeUserAgent(s.userAgent)}</td>
                <td data-label="IP address">{s.ip ?? "—"}</td>
                <td data-label="Signed in">
                  <LocalTime date={s.createdAt} />
                </td>
                <td data-label="Last seen">
                  <LocalTime date={s.lastSeenAt} />
                </td>
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
      </section>
    </>
  );
}

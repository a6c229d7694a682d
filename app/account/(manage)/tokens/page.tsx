import type { Metadata } from "next";
import { inSudoMode, requireSession } from "@/lib/accounts/current";
import { listApiTokens, tokenCreationRefusal } from "@/lib/api-tokens/tokens";
import { refusalMessage } from "@/lib/errors";
import { listProjectsOfUser } from "@/lib/projects/member-projects";
import { LocalTime } from "@/components/ui/local-time";
import { SudoGate } from "@/app/account/(manage)/sudo-gate";
import { CreateTokenForm, RevokeTokenForm } from "./token-forms";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const session = await requireSession("/account/tokens");
  // A refusal the user must fix first; a missing confirmation is what the gate below asks for.
  const refused = tokenCreationRefusal(session);
  const problem = refused && refused !== "needs-sudo" ? refusalMessage(refused) : null;
  // The projects are for the new-token form, which shows only once the gate below is open.
  const [tokens, projects] = await Promise.all([
    listApiTokens(session.user.id),
    problem || !inSudoMode(session) ? [] : listProjectsOfUser(session.user.id),
  ]);
  const now = new Date();
  return (
    <>
      <h1>API tokens</h1>
      <p className="muted">
        Tokens let twine upload on your behalf. Wheelhouse stores only a hash: a token is shown once, when you create
        it.
      </p>
      {problem ? (
        <p className="banner banner-warn" data-testid="token-policy">
          {problem}
        </p>
      ) : (
        <SudoGate what="create an API token">
          <section className="card" aria-labelledby="new-token-h">
            <h2 id="new-token-h">New token</h2>
            <CreateTokenForm projects={projects.map((p) => ({ id: p.id, name: p.name }))} />
          </section>
        </SudoGate>
      )}
      <section className="card" aria-labelledby="tokens-h">
        <h2 id="tokens-h">Your tokens</h2>
        {tokens.length ? (
          <table data-testid="tokens" className="stack-rows">
            <thead>
              <tr>
                <th>Name</th>
                <th>Scope</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Expires</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <td data-label="Name">
                    {t.name}
                    <div className="muted small">
                      <code>{t.prefix}…</code>
                    </div>
                  </td>
                  <td data-label="Scope">
                    {t.allProjects
                      ? "All projects"
                      : t.scopeGone
                        ? "None: its projects were deleted"
                        : t.projects.join(", ")}
                    {t.scopeGone && <span className="pill pill-danger">Unusable</span>}
                  </td>
                  <td data-label="Created">
                    <LocalTime date={t.createdAt} />
                  </td>
                  <td data-label="Last used">
                    {t.lastUsedAt ? (
                      <>
                        <LocalTime date={t.lastUsedAt} />
                        <div className="muted small">{t.lastUsedIp}</div>
                      </>
                    ) : (
                      "Never"
                    )}
                  </td>
                  <td data-label="Expires">
                    {t.expiresAt ? <LocalTime date={t.expiresAt} /> : "Never"}
                    {t.expiresAt && t.expiresAt <= now && <span className="pill pill-danger">Expired</span>}
                  </td>
                  <td>
                    <RevokeTokenForm id={t.id} name={t.name} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">You have no API tokens.</p>
        )}
      </section>
    </>
  );
}

import type { Metadata } from "next";
import { requireSession } from "@/lib/accounts/current";
import { listApiTokens, tokenPolicyProblem } from "@/lib/api-tokens/tokens";
import { listProjectsOfUser } from "@/lib/projects/member-projects";
import { LocalTime } from "@/components/ui/local-time";
import { SudoGate } from "@/app/account/(manage)/sudo-gate";
import { CreateTokenForm, RevokeTokenForm } from "./token-forms";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const session = await requireSession("/account/tokens");
  const [tokens, projects] = await Promise.all([listApiTokens(session.user.id), listProjectsOfUser(session.user.id)]);
  const problem = tokenPolicyProblem(session.user);
  const now = new Date();
  return (
    <>
      <h1>API tokens</h1>
      <p className="muted">
        Tokens let twine upload on your behalf. Wheelhouse stores only a hash: a token is shown once, when you create it.
      </p>
      {problem ? (
        <p className="banner banner-warn" data-testid="token-policy">{problem}</p>
      ) : (
        <SudoGate what="create an API token">
          <section className="card" aria-labelledby="new-token-h">
            <h2 id="new-token-h">New token</h2>
            <CreateTokenForm projects={projects.map((p) => ({ id: p.id, name: p.name }))} />
          </section>
        </SudoGate>
      )}
      <section className="card table-wrap" aria-labelledby="tokens-h">
        <h2 id="tokens-h">Your tokens</h2>
        {tokens.length ? (
          <table data-testid="tokens">
            <thead>
              <tr><th>Name</th><th>Scope</th><th>Created</th><th>Last used</th><th>Expires</th><th /></tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}<div className="muted small"><code>{t.prefix}…</code></div></td>
                  <td>{t.allProjects ? "All projects" : t.projects.join(", ")}</td>
                  <td><LocalTime date={t.createdAt} /></td>
                  <td>{t.lastUsedAt ? <><LocalTime date={t.lastUsedAt} /><div className="muted small">{t.lastUsedIp}</div></> : "Never"}</td>
                  <td>
                    {t.expiresAt ? <LocalTime date={t.expiresAt} /> : "Never"}
                    {t.expiresAt && t.expiresAt <= now && <span className="pill pill-danger">Expired</span>}
                  </td>
                  <td><RevokeTokenForm id={t.id} name={t.name} /></td>
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

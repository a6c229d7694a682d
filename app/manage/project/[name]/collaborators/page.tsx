import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireSession } from "@/lib/accounts/current";
import { listCollaborators, managedProject, offeredOn } from "@/lib/projects/manage";
import { normalizeName } from "@/lib/packaging/names";
import { SudoGate } from "@/app/account/(manage)/sudo-gate";
import { ActionForm } from "@/components/manage/action-form";
import { LocalTime } from "@/components/ui/local-time";
import { changeRoleAction, inviteAction, removeCollaboratorAction, revokeInvitationAction } from "../actions";

export const metadata: Metadata = { title: "Collaborators" };

export default async function CollaboratorsPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const session = await requireSession(`/manage/project/${name}/collaborators`);
  const project = await managedProject(normalizeName(name), session.user.id);
  if (!project) notFound();
  const { members, invitations } = await listCollaborators(project.id);
  const may = offeredOn(project);
  const me = session.user.username;
  const hidden = { project: project.normalizedName };
  const body = (
    <>
      <section className="card" aria-labelledby="members-h">
        <h2 id="members-h">Collaborators</h2>
        <table data-testid="collaborators" className="stack-rows">
          <thead>
            <tr>
              <th>User</th>
              <th>Role</th>
              <th>2FA</th>
              <th>Since</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.username} data-user={m.username}>
                <td data-label="User">
                  <a href={`/user/${m.username}`}>{m.username}</a>
                </td>
                <td data-label="Role">{m.role}</td>
                <td data-label="2FA">
                  {m.twoFactorEnabled ? (
                    <span className="pill pill-ok">on</span>
                  ) : (
                    <span className="pill pill-warn">off</span>
                  )}
                </td>
                <td data-label="Since">
                  <LocalTime date={m.since} />
                </td>
                <td>
                  {may("project:roles") && (
                    <ActionForm
                      action={changeRoleAction}
                      hidden={{ ...hidden, username: m.username, role: m.role === "owner" ? "maintainer" : "owner" }}
                      submit={m.role === "owner" ? "Make maintainer" : "Make owner"}
                      variant="secondary"
                    />
                  )}
                  {(m.username === me ? may("project:leave") : may("project:roles")) && (
                    <ActionForm
                      action={removeCollaboratorAction}
                      hidden={{ ...hidden, username: m.username }}
                      submit={m.username === me ? "Leave project" : "Remove"}
                      variant="danger"
                      testId={`remove-${m.username}`}
                      confirm={
                        m.username === me
                          ? {
                              title: `Leave ${project.name}?`,
                              button: "Leave project",
                              body: (
                                <p>
                                  You will no longer be able to upload to or manage {project.name}. Only an owner can
                                  invite you back.
                                </p>
                              ),
                            }
                          : {
                              title: `Remove ${m.username} from ${project.name}?`,
                              button: `Remove ${m.username}`,
                              triggerLabel: `Remove ${m.username}`,
                              body: (
                                <p>
                                  {m.username} will no longer be able to upload to or manage {project.name}, and will be
                                  told by email.
                                </p>
                              ),
                            }
                      }
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {may("project:roles") && (
        <section className="card" aria-labelledby="invite-h">
          <h2 id="invite-h">Invite a collaborator</h2>
          <ActionForm action={inviteAction} hidden={hidden} submit="Invite" testId="invite-form">
            <label>
              Username <input type="text" name="username" required maxLength={50} />
            </label>
            <label>
              Role{" "}
              <select name="role" defaultValue="maintainer">
                <option value="maintainer">Maintainer (uploads)</option>
                <option value="owner">Owner (manages people and releases)</option>
              </select>
            </label>
          </ActionForm>
          {invitations.length > 0 && (
            <>
              <h3>Pending invitations</h3>
              <ul data-testid="pending-invitations">
                {invitations.map((i) => (
                  <li key={i.id}>
                    {i.username} as {i.role}, until <LocalTime date={i.expiresAt} />
                    <ActionForm
                      action={revokeInvitationAction}
                      hidden={{ ...hidden, invitation: i.id }}
                      submit="Revoke"
                      variant="secondary"
                    />
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </>
  );
  return <SudoGate what="change who works on this project">{body}</SudoGate>;
}

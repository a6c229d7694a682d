import type { Metadata } from "next";
import { requireSession } from "@/lib/accounts/current";
import { listInvitationsFor } from "@/lib/projects/manage";
import { ActionForm } from "@/components/manage/action-form";
import { LocalTime } from "@/components/ui/local-time";
import { respondToInvitationAction } from "@/app/manage/project/[name]/actions";

export const metadata: Metadata = { title: "Project invitations" };

export default async function InvitationsPage() {
  const session = await requireSession("/account/invitations");
  const invitations = await listInvitationsFor(session.user.id);
  return (
    <>
      <h1>Project invitations</h1>
      {invitations.length === 0 && <p className="muted">You have no pending invitations.</p>}
      {invitations.map((i) => (
        <section key={i.id} className="card" data-invitation={i.project}>
          <p>
            You are invited to <strong>{i.project}</strong> as <strong>{i.role}</strong> (until{" "}
            <LocalTime date={i.expiresAt} />
            ).
          </p>
          <div className="actions">
            <ActionForm
              action={respondToInvitationAction}
              hidden={{ invitation: i.id, answer: "accept" }}
              submit="Accept"
            />
            <ActionForm
              action={respondToInvitationAction}
              hidden={{ invitation: i.id, answer: "decline" }}
              submit="Decline"
              variant="secondary"
            />
          </div>
        </section>
      ))}
    </>
  );
}

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireSession } from "@/lib/accounts/current";
import { managedProject, offeredOn } from "@/lib/projects/manage";
import { normalizeName } from "@/lib/packaging/names";
import { SudoGate } from "@/app/account/(manage)/sudo-gate";
import { ActionForm } from "@/components/manage/action-form";
import { DeleteByTyping } from "@/components/manage/delete-by-typing";
import { deleteProjectAction, requireTwoFactorAction } from "../actions";

export const metadata: Metadata = { title: "Project settings" };

const PIP_INSTALL = <code>pip install</code>;

export default async function ProjectSettingsPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const session = await requireSession(`/manage/project/${name}/settings`);
  const project = await managedProject(normalizeName(name), session.user.id);
  if (!project) notFound();
  const may = offeredOn(project);
  return (
    <>
      <section className="card" aria-labelledby="tfa-h">
        <h2 id="tfa-h">Two-factor authentication for collaborators</h2>
        <p>
          Currently <strong data-testid="require-2fa">{project.requireTwoFactor ? "required" : "not required"}</strong>.
          When required, members without two-factor authentication can neither upload nor manage, and users without it
          cannot be invited.
        </p>
        {may("project:settings") && (
          <SudoGate what="change project settings">
            <ActionForm
              action={requireTwoFactorAction}
              hidden={{ project: project.normalizedName, require: project.requireTwoFactor ? "off" : "on" }}
              submit={
                project.requireTwoFactor
                  ? "Stop requiring two-factor authentication"
                  : "Require two-factor authentication"
              }
            />
          </SudoGate>
        )}
      </section>
      {may("project:delete") && (
        <section className="card card-danger" aria-labelledby="delete-h">
          <h2 id="delete-h">Delete project</h2>
          {/* Prettier would put `<code>pip install</code>{" "}` past 120 characters. */}
          <p>
            Deleting <strong>{project.name}</strong> removes every release and file for good: {PIP_INSTALL} of it stops
            working for everyone. The name and its filenames are never given out again, to you or anyone else. All
            owners are emailed.
          </p>
          <SudoGate what="delete this project">
            <DeleteByTyping
              summary={`Delete ${project.name}…`}
              name={project.name}
              action={deleteProjectAction}
              hidden={{ project: project.normalizedName }}
              submit="Delete project"
              testId="delete-project-form"
            />
          </SudoGate>
        </section>
      )}
    </>
  );
}

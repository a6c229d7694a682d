import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireSession } from "@/lib/accounts/current";
import { managedProject, offeredOn } from "@/lib/projects/manage";
import { normalizeName } from "@/lib/packaging/names";
import { getProjectDetail } from "@/lib/index-api/queries";
import { SudoGate } from "@/app/account/(manage)/sudo-gate";
import { ActionForm } from "@/components/manage/action-form";
import { DeleteByTyping } from "@/components/manage/delete-by-typing";
import { LocalTime } from "@/components/ui/local-time";
import { deleteFileAction, deleteReleaseAction, unyankAction, yankAction } from "./actions";

export const metadata: Metadata = { title: "Manage releases" };

export default async function ManageReleasesPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const session = await requireSession(`/manage/project/${name}`);
  const project = await managedProject(normalizeName(name), session.user.id);
  if (!project) notFound();
  const detail = await getProjectDetail(project.normalizedName);
  const releases = [...(detail?.releases ?? [])].reverse();
  const may = offeredOn(project);
  const list = (
    <div className="stack">
      {releases.map((r) => (
        <section key={r.version} className="card" data-release={r.version} aria-labelledby={`release-${r.version}`}>
          <h2 id={`release-${r.version}`}>
            {r.version} {r.yanked && <span className="pill pill-danger">yanked</span>}
          </h2>
          <p className="muted small">
            Released <LocalTime date={r.createdAt} />
            {r.yanked && r.yankedReason ? ` · Yank reason: ${r.yankedReason}` : ""}
          </p>
          <ul>
            {r.files.map((f) => (
              <li key={f.filename}>
                <code>{f.filename}</code>
                {may("project:delete-release") && (
                  <DeleteByTyping
                    summary="Delete this file"
                    name={f.filename}
                    action={deleteFileAction}
                    submit="Delete file"
                    hidden={{ project: project.normalizedName, filename: f.filename }}
                    testId={`delete-file-${f.filename}`}
                  />
                )}
              </li>
            ))}
          </ul>
          <div className="stack">
            {may("project:yank") &&
              (r.yanked ? (
                <ActionForm
                  action={unyankAction}
                  hidden={{ project: project.normalizedName, version: r.version }}
                  submit="Un-yank"
                  variant="secondary"
                  testId={`unyank-${r.version}`}
                />
              ) : (
                <ActionForm
                  action={yankAction}
                  hidden={{ project: project.normalizedName, version: r.version }}
                  submit="Yank"
                  variant="secondary"
                  testId={`yank-${r.version}`}
                  confirm={{
                    title: `Yank ${project.name} ${r.version}?`,
                    button: "Yank release",
                    triggerLabel: `Yank ${r.version}`,
                    body: (
                      <p>
                        pip will skip {r.version} unless someone pins it exactly (<code>=={r.version}</code>); its files
                        stay downloadable and pinned installs keep working. You can un-yank it later.
                      </p>
                    ),
                  }}
                >
                  <div className="field">
                    <label htmlFor={`yank-reason-${r.version}`}>
                      Reason (optional, shown to people who install it)
                    </label>
                    <input
                      id={`yank-reason-${r.version}`}
                      type="text"
                      name="reason"
                      maxLength={500}
                      placeholder="e.g. broken on Windows"
                    />
                  </div>
                </ActionForm>
              ))}
            {may("project:delete-release") && (
              <DeleteByTyping
                summary="Delete this release"
                name={r.version}
                action={deleteReleaseAction}
                submit="Delete release"
                hidden={{ project: project.normalizedName, version: r.version }}
                testId={`delete-release-${r.version}`}
              >
                <p className="small">
                  Deleting removes every file of {r.version}; their names can never be uploaded again. Yanking is
                  usually better.
                </p>
              </DeleteByTyping>
            )}
          </div>
        </section>
      ))}
      {releases.length === 0 && <p className="muted">This project has no releases.</p>}
    </div>
  );
  return (
    <>
      <h2>Releases</h2>
      {may("project:yank") || may("project:delete-release") ? (
        <SudoGate what="yank or delete releases">{list}</SudoGate>
      ) : (
        list
      )}
    </>
  );
}

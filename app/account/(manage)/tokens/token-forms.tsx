"use client";
import { useActionState, useState } from "react";
import { Field } from "@/components/ui/field";
import { ActionForm } from "@/components/manage/action-form";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import { CopyButton } from "@/components/ui/copy-button";
import { Snippet } from "@/components/ui/snippet";
import { createTokenAction, revokeTokenAction } from "./actions";

export function CreateTokenForm({ projects }: { projects: { id: string; name: string }[] }) {
  const [state, action] = useActionState(createTokenAction, {});
  const [scope, setScope] = useState("all");
  const [chosen, setChosen] = useState<string[]>([]);
  const token = state.data?.token as string | undefined;
  if (token) {
    return (
      <div className="stack">
        <p className="banner banner-ok" role="status">
          Token <strong>{String(state.data?.name)}</strong> created. Copy it now: it will not be shown again.
        </p>
        <p>
          <code className="secret" data-testid="new-token">
            {token}
          </code>{" "}
          <CopyButton text={token} what="token" />
        </p>
        <p>
          To upload with twine, save this as <code>~/.pypirc</code> (or add its sections to yours):
        </p>
        <Snippet title="~/.pypirc" text={String(state.data?.pypirc)} testId="token-pypirc" />
        <p>
          then upload to this index by naming it (without <code>--repository</code>, twine uploads to pypi.org):
        </p>
        <Snippet title="Upload" text={String(state.data?.upload)} testId="token-upload" />
      </div>
    );
  }
  const e = state.fieldErrors ?? {};
  return (
    <form action={action} className="stack" noValidate data-testid="create-token-form">
      <FormStatus error={state.error} />
      <Field
        name="name"
        label="Token name"
        required
        maxLength={100}
        defaultValue={state.values?.name}
        error={e.name}
        hint="What uses it, e.g. “laptop” or “release workflow”."
        id="token-name"
      />
      <fieldset className="field">
        <legend>Scope</legend>
        <label>
          <input type="radio" name="scope" value="all" checked={scope === "all"} onChange={() => setScope("all")} /> All
          my projects (can also create new projects)
        </label>
        <label>
          <input
            type="radio"
            name="scope"
            value="projects"
            checked={scope === "projects"}
            onChange={() => setScope("projects")}
            disabled={!projects.length}
          />{" "}
          Only these projects
        </label>
        {scope === "projects" && (
          <div className="stack" style={{ paddingLeft: "1.5rem" }}>
            {projects.map((p) => (
              <label key={p.id}>
                <input
                  type="checkbox"
                  checked={chosen.includes(p.id)}
                  onChange={(ev) => setChosen(ev.target.checked ? [...chosen, p.id] : chosen.filter((c) => c !== p.id))}
                />{" "}
                {p.name}
              </label>
            ))}
            <input type="hidden" name="projects" value={chosen.join(",")} />
            {e.projects && <span className="error">{e.projects}</span>}
          </div>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor="token-expiry">Expires</label>
        <select id="token-expiry" name="expiry" defaultValue="90">
          <option value="30">In 30 days</option>
          <option value="90">In 90 days</option>
          <option value="180">In 180 days</option>
          <option value="365">In a year</option>
          <option value="never">Never</option>
        </select>
      </div>
      <div className="actions">
        <SubmitButton>Create token</SubmitButton>
      </div>
    </form>
  );
}

export function RevokeTokenForm({ id, name }: { id: string; name: string }) {
  return (
    <ActionForm
      action={revokeTokenAction}
      hidden={{ token: id }}
      submit="Revoke"
      testId={`revoke-token-${name}`}
      confirm={{
        title: `Revoke the token “${name}”?`,
        button: "Revoke token",
        triggerLabel: `Revoke ${name}`,
        body: (
          <p>
            It stops working at once: uploads and scripts that use it will be refused. This cannot be undone; you can
            create a new token.
          </p>
        ),
      }}
    />
  );
}

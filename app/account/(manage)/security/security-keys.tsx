"use client";
// Security keys on the Security page (shown in sudo mode): add one (name, then the browser's
// prompt), rename and remove each. Removing the last second factor says so before it happens.
import { useActionState } from "react";
import { Field } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/http/action";
import {
  beginKeyRegistrationAction,
  finishKeyRegistrationAction,
  removeKeyAction,
  renameKeyAction,
} from "@/app/account/(manage)/security/actions";
import { createKey } from "../../../../components/account/key-ceremony";
import { RecoveryCodes } from "../../../../components/account/recovery-codes";

export function AddSecurityKey({ unavailable }: { unavailable: string | null }) {
  const [state, action] = useActionState(async (prev: ActionState, form: FormData): Promise<ActionState> => {
    const name = String(form.get("name") ?? "").trim();
    if (!name) return { fieldErrors: { name: "Give the key a name, such as “YubiKey 5C”." } };
    const begun = await beginKeyRegistrationAction(prev, new FormData());
    if (!begun.ok) return begun;
    const created = await createKey(begun.data?.options);
    if (!created.ok) return { error: created.error, values: { name } };
    form.set("response", created.response);
    return finishKeyRegistrationAction(prev, form);
  }, {});
  const codes = state.data?.recoveryCodes as string[] | undefined;
  if (codes) {
    return (
      <div className="stack">
        <FormStatus message={state.message} />
        <RecoveryCodes codes={codes} />
      </div>
    );
  }
  return (
    <form action={action} className="stack" noValidate data-testid="add-security-key">
      {unavailable && (
        <p className="banner banner-warn" data-testid="keys-unavailable">
          {unavailable}
        </p>
      )}
      <FormStatus error={state.error} message={state.message} testId="add-key-status" />
      <Field
        name="name"
        label="Name of the new key"
        required
        maxLength={100}
        disabled={!!unavailable}
        hint="So you can tell your keys apart, e.g. “YubiKey 5C” or “laptop Touch ID”."
        defaultValue={state.ok ? "" : state.values?.name}
        error={state.fieldErrors?.name}
      />
      <div className="actions">
        {unavailable ? (
          <button type="button" className="button" disabled>
            Add a security key
          </button>
        ) : (
          <SubmitButton>Add a security key</SubmitButton>
        )}
      </div>
    </form>
  );
}

export function RenameSecurityKey({ id, name }: { id: string; name: string }) {
  const [state, action] = useActionState(renameKeyAction, {});
  return (
    <form action={action} className="inline-form" noValidate>
      <input type="hidden" name="key" value={id} />
      <Field
        name="name"
        label={`New name for “${name}”`}
        required
        maxLength={100}
        id={`rename-${id}`}
        defaultValue={state.values?.name ?? name}
        error={state.fieldErrors?.name}
      />
      <SubmitButton variant="secondary">Rename</SubmitButton>
      <FormStatus error={state.error} message={state.message} />
    </form>
  );
}

/** `last`: this key is the account's only second factor, so removing it turns 2FA off. */
export function RemoveSecurityKey({ id, name, last }: { id: string; name: string; last: boolean }) {
  const [state, action] = useActionState(removeKeyAction, {});
  return (
    <form action={action} className="stack" noValidate>
      <input type="hidden" name="key" value={id} />
      {last && (
        <>
          <input type="hidden" name="turnOff" value="yes" />
          <p className="banner banner-warn" data-testid="last-factor-warning">
            “{name}” is your only second factor: removing it turns two-factor authentication off, deletes your recovery
            codes and signs out your other sessions.
          </p>
        </>
      )}
      <div className="actions">
        <SubmitButton variant="danger">{last ? `Remove “${name}” and turn off 2FA` : `Remove “${name}”`}</SubmitButton>
      </div>
      <FormStatus error={state.error} message={state.message} />
    </form>
  );
}

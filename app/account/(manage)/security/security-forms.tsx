"use client";
import { useActionState } from "react";
import { ActionForm } from "@/components/manage/action-form";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import { TwoStepSubmit } from "@/components/ui/two-step-submit";
import { RecoveryCodes } from "@/components/account/recovery-codes";
import {
  disableTwoFactorAction,
  regenerateCodesAction,
  removeAppAction,
  revokeOtherSessionsAction,
  revokeSessionAction,
} from "./actions";

export function RegenerateCodesForm() {
  const [state, action] = useActionState(regenerateCodesAction, {});
  const codes = state.data?.recoveryCodes as string[] | undefined;
  if (codes) return <RecoveryCodes codes={codes} />;
  return (
    <form action={action} className="stack">
      <TwoStepSubmit
        variant="secondary"
        label="Generate new recovery codes"
        consequence={
          "New recovery codes replace all of your current ones: the old codes stop working at once, " +
          "including any you have printed or saved."
        }
        confirmLabel="Yes, replace my recovery codes"
      />
      <FormStatus error={state.error} />
    </form>
  );
}

export function DisableTwoFactorForm() {
  const [state, action] = useActionState(disableTwoFactorAction, {});
  return (
    <form action={action} className="stack">
      <TwoStepSubmit
        label="Disable two-factor authentication"
        consequence={
          "Disabling removes your authenticator app, every security key and your recovery codes, " +
          "and signs out your other sessions. Signing in will then need only your password."
        }
        confirmLabel="Yes, turn off two-factor authentication"
      />
      <FormStatus error={state.error} />
    </form>
  );
}

/** Shown only while security keys remain, so removing the app leaves 2FA on. */
export function RemoveAppForm() {
  const [state, action] = useActionState(removeAppAction, {});
  return (
    <form action={action} className="actions">
      <SubmitButton variant="secondary">Remove the authenticator app (keep my security keys)</SubmitButton>
      <FormStatus error={state.error} message={state.message} />
    </form>
  );
}

export function RevokeSessionForm({ idHash, client }: { idHash: string; client?: string }) {
  return (
    <ActionForm
      action={revokeSessionAction}
      hidden={{ session: idHash }}
      submit="Sign out"
      confirm={{
        title: "Sign this session out?",
        button: "Sign it out",
        body: (
          <p>
            {client ? `${client} ` : "That browser "}will be signed out at once and will need your password (and code)
            to sign in again.
          </p>
        ),
      }}
    />
  );
}

export function RevokeOtherSessionsForm() {
  const [state, action] = useActionState(revokeOtherSessionsAction, {});
  return (
    <form action={action} className="actions">
      <SubmitButton variant="secondary">Sign out all other sessions</SubmitButton>
      <FormStatus error={state.error} message={state.message} testId="revoke-others-status" />
    </form>
  );
}

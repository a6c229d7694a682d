"use client";
import { useActionState } from "react";
import { ActionForm } from "@/components/manage/action-form";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import { RecoveryCodes } from "@/components/account/recovery-codes";
import {
  disableTwoFactorAction,
  regenerateCodesAction,
  revokeOtherSessionsAction,
  revokeSessionAction,
} from "./actions";

export function RegenerateCodesForm() {
  const [state, action] = useActionState(regenerateCodesAction, {});
  const codes = state.data?.recoveryCodes as string[] | undefined;
  if (codes) return <RecoveryCodes codes={codes} />;
  return (
    <form action={action} className="actions">
      <SubmitButton variant="secondary">Generate new recovery codes</SubmitButton>
      <FormStatus error={state.error} />
    </form>
  );
}

export function DisableTwoFactorForm() {
  const [state, action] = useActionState(disableTwoFactorAction, {});
  return (
    <form action={action} className="actions">
      <SubmitButton variant="danger">Disable two-factor authentication</SubmitButton>
      <FormStatus error={state.error} />
    </form>
  );
}

export function RevokeSessionForm({ idHash, client }: { idHash: string; client?: string }) {
  return (
    <ActionForm action={revokeSessionAction} hidden={{ session: idHash }} submit="Sign out"
      confirm={{
        title: "Sign this session out?",
        button: "Sign it out",
        body: <p>{client ? `${client} ` : "That browser "}will be signed out at once and will need your password (and code) to sign in again.</p>,
      }} />
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

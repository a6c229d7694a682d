"use client";
import { useActionState } from "react";
import { Field } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import { secondFactorAction } from "./actions";

export function TwoFactorForm({ next }: { next: string }) {
  const [state, action] = useActionState(secondFactorAction, {});
  return (
    <form action={action} className="stack" noValidate>
      <FormStatus error={state.error} testId="two-factor-status" />
      <input type="hidden" name="next" value={next} />
      <Field name="code" label="Authentication code" autoComplete="one-time-code" inputMode="text" required autoFocus
        maxLength={100} hint="The 6-digit code from your authenticator app, or one of your recovery codes."
        error={state.fieldErrors?.code} />
      <SubmitButton>Verify</SubmitButton>
    </form>
  );
}

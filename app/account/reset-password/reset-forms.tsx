"use client";
import { useActionState } from "react";
import { Field } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import { completeResetAction, requestResetAction } from "./actions";

export function RequestResetForm() {
  const [state, action] = useActionState(requestResetAction, {});
  return (
    <form action={action} className="stack" noValidate>
      <FormStatus error={state.error} message={state.message} testId="reset-status" />
      <Field
        name="login"
        label="Username or email"
        autoComplete="username"
        required
        maxLength={254}
        defaultValue={state.values?.login}
        error={state.fieldErrors?.login}
      />
      <SubmitButton>Send reset link</SubmitButton>
    </form>
  );
}

export function CompleteResetForm({ token }: { token: string }) {
  const [state, action] = useActionState(completeResetAction, {});
  const e = state.fieldErrors ?? {};
  return (
    <form action={action} className="stack" noValidate>
      <FormStatus error={state.error} testId="reset-status" />
      <input type="hidden" name="token" value={token} />
      <Field
        name="newPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        error={e.newPassword}
      />
      <Field
        name="confirmPassword"
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        required
        error={e.confirmPassword}
      />
      <SubmitButton>Set new password</SubmitButton>
    </form>
  );
}

"use client";
import { useActionState } from "react";
import { Field } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import { StatusForm } from "@/components/ui/status-form";
import { changeEmailAction, changePasswordAction, resendVerificationAction } from "./actions";

export function ResendVerificationForm() {
  const [state, action] = useActionState(resendVerificationAction, {});
  return (
    <form action={action} className="actions">
      <SubmitButton variant="secondary">Send a new verification link</SubmitButton>
      <FormStatus error={state.error} message={state.message} testId="resend-status" />
    </form>
  );
}

export function ChangeEmailForm() {
  return (
    <StatusForm
      action={changeEmailAction}
      submit="Change email"
      statusTestId="change-email-status"
      testId="change-email-form"
      compact
    >
      <Field name="email" label="New email address" type="email" autoComplete="email" required id="new-email" />
      <Field
        name="password"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        id="email-current-password"
      />
    </StatusForm>
  );
}

export function ChangePasswordForm() {
  return (
    <StatusForm
      action={changePasswordAction}
      submit="Change password"
      statusTestId="change-password-status"
      testId="change-password-form"
      compact
    >
      <Field
        name="password"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        id="current-password"
      />
      <Field
        name="newPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        id="new-password"
      />
      <Field
        name="confirmPassword"
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        required
        id="confirm-password"
      />
    </StatusForm>
  );
}

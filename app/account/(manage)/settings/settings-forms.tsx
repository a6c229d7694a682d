"use client";
import { useActionState } from "react";
import { Field } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
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
  const [state, action] = useActionState(changeEmailAction, {});
  const e = state.fieldErrors ?? {};
  return (
    <form action={action} className="stack" noValidate data-testid="change-email-form">
      <FormStatus error={state.error} message={state.message} testId="change-email-status" />
      <Field
        name="email"
        label="New email address"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.ok ? "" : state.values?.email}
        error={e.email}
        id="new-email"
      />
      <Field
        name="password"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        error={e.password}
        id="email-current-password"
      />
      <div className="actions">
        <SubmitButton>Change email</SubmitButton>
      </div>
    </form>
  );
}

export function ChangePasswordForm() {
  const [state, action] = useActionState(changePasswordAction, {});
  const e = state.fieldErrors ?? {};
  return (
    <form action={action} className="stack" noValidate data-testid="change-password-form">
      <FormStatus error={state.error} message={state.message} testId="change-password-status" />
      <Field
        name="password"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        error={e.password}
        id="current-password"
      />
      <Field
        name="newPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        error={e.newPassword}
        id="new-password"
      />
      <Field
        name="confirmPassword"
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        required
        error={e.confirmPassword}
        id="confirm-password"
      />
      <div className="actions">
        <SubmitButton>Change password</SubmitButton>
      </div>
    </form>
  );
}

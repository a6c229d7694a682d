"use client";
import { Field } from "@/components/ui/field";
import { StatusForm } from "@/components/ui/status-form";
import { completeResetAction, requestResetAction } from "./actions";

export function RequestResetForm() {
  return (
    <StatusForm action={requestResetAction} submit="Send reset link" statusTestId="reset-status">
      <Field name="login" label="Username or email" autoComplete="username" required maxLength={254} />
    </StatusForm>
  );
}

export function CompleteResetForm({ token }: { token: string }) {
  return (
    <StatusForm action={completeResetAction} submit="Set new password" hidden={{ token }} statusTestId="reset-status">
      <Field name="newPassword" label="New password" type="password" autoComplete="new-password" required />
      <Field name="confirmPassword" label="Confirm new password" type="password" autoComplete="new-password" required />
    </StatusForm>
  );
}

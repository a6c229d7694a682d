"use client";
import { Field } from "@/components/ui/field";
import { StatusForm } from "@/components/ui/status-form";
import { signInAction } from "./actions";

export function LoginForm({ next }: { next: string }) {
  return (
    <StatusForm action={signInAction} submit="Sign in" hidden={{ next }} statusTestId="login-status">
      <Field name="login" label="Username or email" autoComplete="username" required maxLength={254} />
      <Field name="password" label="Password" type="password" autoComplete="current-password" required />
    </StatusForm>
  );
}

"use client";
import { Field } from "@/components/ui/field";
import { StatusForm } from "@/components/ui/status-form";
import { signUpAction } from "./actions";

export function SignUpForm() {
  return (
    <StatusForm action={signUpAction} submit="Create account">
      <Field
        name="username"
        label="Username"
        autoComplete="username"
        required
        maxLength={50}
        hint="Letters, digits, '-', '_' and '.'; up to 50 characters."
      />
      <Field name="email" label="Email address" type="email" autoComplete="email" required />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 8 characters; longer passphrases are stronger."
      />
      <Field name="confirm" label="Confirm password" type="password" autoComplete="new-password" required />
    </StatusForm>
  );
}

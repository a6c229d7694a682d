"use client";
import { useActionState } from "react";
import { Field } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import { signUpAction } from "./actions";

export function SignUpForm() {
  const [state, action] = useActionState(signUpAction, {});
  const e = state.fieldErrors ?? {};
  return (
    <form action={action} className="stack" noValidate>
      <FormStatus error={state.error} />
      <Field
        name="username"
        label="Username"
        autoComplete="username"
        required
        maxLength={50}
        hint="Letters, digits, '-', '_' and '.'; up to 50 characters."
        defaultValue={state.values?.username}
        error={e.username}
      />
      <Field
        name="email"
        label="Email address"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.values?.email}
        error={e.email}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 8 characters; longer passphrases are stronger."
        error={e.password}
      />
      <Field
        name="confirm"
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        required
        error={e.confirm}
      />
      <SubmitButton>Create account</SubmitButton>
    </form>
  );
}

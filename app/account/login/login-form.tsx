"use client";
import { useActionState } from "react";
import { Field } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import { signInAction } from "./actions";

export function LoginForm({ next }: { next: string }) {
  const [state, action] = useActionState(signInAction, {});
  const e = state.fieldErrors ?? {};
  return (
    <form action={action} className="stack" noValidate>
      <FormStatus error={state.error} testId="login-status" />
      <input type="hidden" name="next" value={next} />
      <Field
        name="login"
        label="Username or email"
        autoComplete="username"
        required
        maxLength={254}
        defaultValue={state.values?.login}
        error={e.login}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        error={e.password}
      />
      <SubmitButton>Sign in</SubmitButton>
    </form>
  );
}

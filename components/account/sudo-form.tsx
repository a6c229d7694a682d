"use client";
import { useActionState, useEffect } from "react";
import { useRouter } from "next/navigation";
import { Field } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import { enterSudoAction } from "@/app/account/(manage)/sudo-actions";

export function SudoForm({ what, twoFactor }: { what: string; twoFactor: boolean }) {
  const [state, action] = useActionState(enterSudoAction, {});
  const router = useRouter();
  useEffect(() => {
    if (state.ok) router.refresh();
  }, [state.ok, router]);
  const e = state.fieldErrors ?? {};
  return (
    <form action={action} className="stack sudo-form" noValidate data-testid="sudo-form">
      <p className="muted">
        To {what}, confirm it is you{twoFactor ? " with your password and a two-factor code" : " with your password"}.
        This unlocks sensitive changes for 15 minutes.
      </p>
      <FormStatus error={state.error} />
      <Field name="password" label="Your password" type="password" autoComplete="current-password" required
        id={`sudo-password`} error={e.password} />
      {twoFactor && (
        <Field name="code" label="Two-factor code" autoComplete="one-time-code" required maxLength={100} id="sudo-code"
          hint="From your authenticator app, or a recovery code." error={e.code} />
      )}
      <div className="actions">
        <SubmitButton>Confirm</SubmitButton>
      </div>
    </form>
  );
}

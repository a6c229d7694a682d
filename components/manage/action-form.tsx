"use client";
// A small form around one server action: hidden fields, its own inputs, a button, and the outcome.
import { useActionState, type ReactNode } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/http/action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export function ActionForm({
  action,
  hidden,
  children,
  submit,
  variant,
  testId,
}: {
  action: Action;
  hidden: Record<string, string>;
  children?: ReactNode;
  submit: string;
  variant?: "secondary" | "danger";
  testId?: string;
}) {
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="action-form" data-testid={testId}>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <SubmitButton variant={variant}>{submit}</SubmitButton>
      <FormStatus error={state.error ?? (state.fieldErrors ? Object.values(state.fieldErrors).join(" ") : undefined)} message={state.message} />
    </form>
  );
}

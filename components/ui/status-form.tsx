"use client";
// A form around one server action whose outcome shows above its fields: the error or the message
// in a live region, each field's own error beside it and what the user typed back in it (via
// `Field`, which reads the form's last answer from here). ActionForm (components/manage) is the
// one for rows whose success is announced page-wide; this is the one for the account forms.
import { createContext, useActionState, useContext, type ReactNode } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/http/action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

const FormState = createContext<ActionState>({});

/** The last answer of the StatusForm around the caller (none outside one). */
export function useFormState(): ActionState {
  return useContext(FormState);
}

export function StatusForm({
  action,
  submit,
  hidden = {},
  statusTestId,
  testId,
  compact,
  children,
}: {
  action: Action;
  submit: string;
  hidden?: Record<string, string>;
  statusTestId?: string;
  testId?: string;
  /** The button at its own width in an actions row; otherwise as wide as the form. */
  compact?: boolean;
  children: ReactNode;
}) {
  const [state, formAction] = useActionState(action, {});
  const button = <SubmitButton>{submit}</SubmitButton>;
  return (
    <form action={formAction} className="stack" noValidate data-testid={testId}>
      <FormStatus error={state.error} message={state.message} testId={statusTestId} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FormState.Provider value={state}>{children}</FormState.Provider>
      {compact ? <div className="actions">{button}</div> : button}
    </form>
  );
}

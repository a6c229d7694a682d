"use client";
// A small form around one server action: hidden fields, its own inputs, a button, and the outcome.
// With `confirm`, the button first opens a dialog saying what will happen (and holding the inputs).
import { useActionState, useState, type ReactNode } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useErrorIsCurrent, useReportingAction } from "@/components/ui/action-outcome";
import type { ActionState } from "@/lib/http/action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export function ActionForm({
  action,
  hidden,
  children,
  submit,
  variant,
  testId,
  confirm,
}: {
  action: Action;
  hidden: Record<string, string>;
  children?: ReactNode;
  submit: string;
  variant?: "secondary" | "danger";
  testId?: string;
  confirm?: { title: string; body: ReactNode; button?: string; triggerLabel?: string };
}) {
  const [state, formAction] = useActionState(useReportingAction(action), {});
  // The dialog is open while no result has come since it was opened: any outcome answers the question.
  const [askedAt, setAskedAt] = useState<ActionState | null>(null);
  const asking = askedAt === state;
  const errorIsCurrent = useErrorIsCurrent(state);
  const error = state.error ?? (state.fieldErrors ? Object.values(state.fieldErrors).join(" ") : undefined);
  return (
    <form action={formAction} className="action-form" data-testid={testId}>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {confirm ? (
        <ConfirmDialog
          open={asking}
          onOpen={() => setAskedAt(state)}
          onCancel={() => setAskedAt(null)}
          trigger={submit}
          triggerLabel={confirm.triggerLabel}
          title={confirm.title}
          confirm={<SubmitButton variant={variant ?? "danger"}>{confirm.button ?? submit}</SubmitButton>}
        >
          {confirm.body}
          {children}
        </ConfirmDialog>
      ) : (
        <>
          {children}
          <SubmitButton variant={variant}>{submit}</SubmitButton>
        </>
      )}
      {/* Successes are announced page-wide (the row may be gone); errors stay by their form until another
          action succeeds. */}
      <FormStatus error={errorIsCurrent ? error : undefined} />
    </form>
  );
}

"use client";
// A confirmation step inside a form: the first button opens a modal dialog that says what will
// happen; only its confirm button submits the form. Fields given as children (a yank's reason) sit
// in the dialog, next to the consequences they qualify.
import { useEffect, useId, useRef, type ReactNode } from "react";

export function ConfirmDialog({
  open,
  onOpen,
  onCancel,
  trigger,
  triggerLabel,
  title,
  children,
  confirm,
}: {
  open: boolean;
  onOpen: () => void;
  onCancel: () => void;
  /** The button that opens the dialog. */
  trigger: string;
  /** Its accessible name when the visible text is ambiguous in a list ("Revoke" → "Revoke token ci"). */
  triggerLabel?: string;
  title: string;
  children: ReactNode;
  /** The submit button inside the dialog. */
  confirm: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <>
      <button
        type="button"
        className="button button-secondary"
        aria-label={triggerLabel}
        aria-haspopup="dialog"
        onClick={onOpen}
      >
        {trigger}
      </button>
      <dialog ref={ref} className="confirm-dialog" aria-labelledby={titleId} onCancel={onCancel} onClose={onCancel}>
        <h2 id={titleId}>{title}</h2>
        {children}
        <div className="actions">
          {confirm}
          <button type="button" className="button button-secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  );
}

"use client";
// A submit button for a change that cannot be undone: the first press says what will happen, and
// only the second one submits. Focus moves to the explanation so screen readers read it first.
import { useEffect, useRef, useState, type ReactNode } from "react";
import { SubmitButton } from "./submit-button";

export function TwoStepSubmit({
  label,
  consequence,
  confirmLabel,
  variant = "danger",
}: {
  label: string;
  consequence: ReactNode;
  confirmLabel: string;
  variant?: "secondary" | "danger";
}) {
  const [asked, setAsked] = useState(false);
  const explanation = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (asked) explanation.current?.focus();
  }, [asked]);
  if (!asked) {
    return (
      <div className="actions">
        <button type="button" className={`button button-${variant}`} onClick={() => setAsked(true)}>
          {label}
        </button>
      </div>
    );
  }
  return (
    <div className="stack">
      <p className="banner banner-warn" ref={explanation} tabIndex={-1} data-testid="confirm-consequence">
        {consequence}
      </p>
      <div className="actions">
        <SubmitButton variant={variant}>{confirmLabel}</SubmitButton>
        <button type="button" className="button button-secondary" onClick={() => setAsked(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}

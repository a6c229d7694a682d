"use client";
// A button that starts a security-key ceremony (its own form, so it shows when busy), or, where keys
// cannot work on this Wheelhouse, the same button disabled with the reason beside it.
import type { ReactNode } from "react";
import { SubmitButton } from "@/components/ui/submit-button";

export function KeyButton({ action, unavailable, children }: { action: () => void; unavailable: string | null; children: ReactNode }) {
  if (unavailable) {
    return (
      <div className="stack">
        <div className="actions"><button type="button" className="button" disabled>{children}</button></div>
        <p className="muted small" data-testid="keys-unavailable">{unavailable}</p>
      </div>
    );
  }
  return (
    <form action={action} className="actions">
      <SubmitButton>{children}</SubmitButton>
    </form>
  );
}

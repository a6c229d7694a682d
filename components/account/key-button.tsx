"use client";
// A button that starts a security-key ceremony, or, where keys cannot work on this Wheelhouse, the
// same button disabled with the reason beside it.
import type { ReactNode } from "react";

export function KeyButton({
  onClick,
  busy,
  unavailable,
  children,
}: {
  onClick: () => void;
  busy: boolean;
  unavailable: string | null;
  children: ReactNode;
}) {
  return (
    <div className="stack">
      <div className="actions">
        <button type="button" className="button" onClick={onClick} disabled={busy || !!unavailable} aria-busy={busy}>
          {busy ? "Waiting for your security key…" : children}
        </button>
      </div>
      {unavailable && (
        <p className="muted small" data-testid="keys-unavailable">
          {unavailable}
        </p>
      )}
    </div>
  );
}

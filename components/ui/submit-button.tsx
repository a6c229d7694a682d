"use client";
// A submit button that shows when its form is busy, so nobody submits twice.
import { useFormStatus } from "react-dom";
import type { ReactNode } from "react";

export function SubmitButton({ children, variant }: { children: ReactNode; variant?: "secondary" | "danger" }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      className={`button${variant ? ` button-${variant}` : ""}`}
      disabled={pending}
      aria-busy={pending}
    >
      {pending ? "Working…" : children}
    </button>
  );
}

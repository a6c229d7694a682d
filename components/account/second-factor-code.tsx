"use client";
// The code field of every step that accepts an app code or a recovery code (sign-in's second step,
// confirming it is you): the app's code gets the digit keypad, and "Use a recovery code instead"
// swaps in a text field, since a phone's digit keypad cannot type a recovery code's letters (as
// pypi.org offers a separate recovery-code form). Both post as `code`: the server tells them apart.
import { useEffect, useRef, useState } from "react";
import { Field } from "@/components/ui/field";

export function SecondFactorCode({
  label,
  id,
  error,
  autoFocus,
  appHint,
}: {
  label: string;
  id?: string;
  error?: string;
  autoFocus?: boolean;
  appHint?: string;
}) {
  const [recovery, setRecovery] = useState(false);
  const switched = useRef(false);
  const inputId = id ?? "field-code";
  // After a switch the new field takes the focus, so typing goes on where the user looks.
  useEffect(() => {
    if (switched.current) document.getElementById(inputId)?.focus();
  }, [recovery, inputId]);
  const toggle = () => {
    switched.current = true;
    setRecovery((r) => !r);
  };
  return (
    <div>
      {recovery ? (
        <Field
          key="recovery"
          name="code"
          id={inputId}
          label="Recovery code"
          autoComplete="one-time-code"
          inputMode="text"
          maxLength={100}
          required
          hint="One of the recovery codes you saved when you turned on two-factor authentication."
          error={error}
        />
      ) : (
        <Field
          key="app"
          name="code"
          id={inputId}
          label={label}
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={100}
          required
          autoFocus={autoFocus}
          hint={appHint ?? "The 6-digit code from your authenticator app."}
          error={error}
        />
      )}
      <button type="button" className="link-button small" onClick={toggle}>
        {recovery ? "Use a code from your authenticator app instead" : "Use a recovery code instead"}
      </button>
    </div>
  );
}

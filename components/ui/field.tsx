"use client";
// A labelled input with its hint and error tied to it for screen readers. Inside a StatusForm it
// shows the form's error for its name and, after a failed attempt, what was typed in it (the action
// never echoes passwords or codes).
import type { InputHTMLAttributes } from "react";
import { useFormState } from "./status-form";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string;
  label: string;
  hint?: string;
  error?: string;
}

/**
 * A one-time code (`autoComplete="one-time-code"`) gets no autocorrection and a monospaced box wide
 * enough for six digits and for a recovery code. The digit keypad (`inputMode="numeric"`) is the
 * caller's choice: right for an app code, wrong for a recovery code, whose letters a phone's digit
 * keypad cannot type (components/account/second-factor-code.tsx offers the two in turn).
 */
const CODE_DEFAULTS: InputHTMLAttributes<HTMLInputElement> = {
  autoCapitalize: "off",
  autoCorrect: "off",
  spellCheck: false,
  className: "input-code",
};

export function Field({ name, label, hint, error: given, id, ...input }: FieldProps) {
  const state = useFormState();
  const error = given ?? state.fieldErrors?.[name];
  const typed = state.values?.[name];
  const inputId = id ?? `field-${name}`;
  const described = [hint && `${inputId}-hint`, error && `${inputId}-error`].filter(Boolean).join(" ");
  const defaults = input.autoComplete === "one-time-code" ? CODE_DEFAULTS : undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      {/* Without a type an input matches none of the stylesheet's input rules: text is the default. */}
      <input
        id={inputId}
        name={name}
        type="text"
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        {...defaults}
        defaultValue={typed}
        {...input}
      />
      {hint && (
        <span id={`${inputId}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${inputId}-error`} className="error">
          {error}
        </span>
      )}
    </div>
  );
}

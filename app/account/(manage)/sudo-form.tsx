"use client";
import { useActionState, useEffect } from "react";
import { useRouter } from "next/navigation";
import { Field } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/http/action";
import { beginSudoKeyAction, enterSudoAction } from "@/app/account/(manage)/sudo-actions";
import { SecondFactorCode } from "../../../components/account/second-factor-code";
import { answerWithKey } from "../../../components/account/key-ceremony";
import { JUST_CONFIRMED_KEY } from "../../../components/account/sudo-unlocked";

/** `keys`: the account has security keys, so "Confirm with security key" is offered beside the code. */
export function SudoForm({
  what,
  twoFactor,
  keys,
  unavailable,
}: {
  what: string;
  twoFactor: boolean;
  keys: boolean;
  unavailable: string | null;
}) {
  const [state, action] = useActionState(async (prev: ActionState, form: FormData): Promise<ActionState> => {
    if (form.get("with") === "key") {
      if (!form.get("password")) return { fieldErrors: { password: "Enter your password." } };
      form.delete("code");
      return answerWithKey(beginSudoKeyAction, enterSudoAction, form);
    }
    return enterSudoAction(prev, form);
  }, {});
  const router = useRouter();
  useEffect(() => {
    if (!state.ok) return;
    sessionStorage.setItem(JUST_CONFIRMED_KEY, "1"); // SudoUnlocked takes the focus once the page shows it
    router.refresh();
  }, [state.ok, router]);
  const e = state.fieldErrors ?? {};
  const withKey = twoFactor && keys;
  return (
    <form action={action} className="stack sudo-form" noValidate data-testid="sudo-form">
      <p className="muted">
        To {what}, confirm it is you
        {twoFactor
          ? ` with your password and ${withKey ? "your security key or a two-factor code" : "a two-factor code"}`
          : " with your password"}
        . This unlocks sensitive changes for 15 minutes.
      </p>
      <FormStatus error={state.error} />
      <Field
        name="password"
        label="Your password"
        type="password"
        autoComplete="current-password"
        required
        id={`sudo-password`}
        error={e.password}
      />
      {withKey && (
        <div className="actions">
          <button type="submit" name="with" value="key" className="button" disabled={!!unavailable}>
            Confirm with security key
          </button>
          {unavailable && <span className="muted small">{unavailable}</span>}
        </div>
      )}
      {twoFactor && (
        <SecondFactorCode
          label="Two-factor code"
          id="sudo-code"
          appHint={
            withKey
              ? "Or the 6-digit code from your authenticator app."
              : "The 6-digit code from your authenticator app."
          }
          error={e.code}
        />
      )}
      <div className="actions">
        <SubmitButton>Confirm</SubmitButton>
      </div>
    </form>
  );
}

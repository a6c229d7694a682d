"use client";
import { useActionState, useCallback, useEffect, useRef } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import { SecondFactorCode } from "@/components/account/second-factor-code";
import { KeyButton } from "@/components/account/key-button";
import type { ActionState } from "@/lib/http/action";
import { answerWithKey, cancelKeyPrompt } from "@/components/account/key-ceremony";
import { useKeyCeremony } from "@/components/account/use-key-ceremony";
import { beginSecondFactorKeyAction, secondFactorAction } from "./actions";

/**
 * The second step: a security key (its prompt starts by itself when the account has keys), a code
 * from the app, or a recovery code — whichever the user has at hand.
 */
export function TwoFactorForm({
  next,
  keys,
  unavailable,
}: {
  next: string;
  keys: boolean;
  unavailable: string | null;
}) {
  const [state, action] = useActionState((prev: ActionState, form: FormData) => {
    cancelKeyPrompt(); // a code was chosen: the key prompt would otherwise stay open
    return secondFactorAction(prev, form);
  }, {});
  const [keyState, startKey, keyBusy] = useKeyCeremony(
    useCallback(() => {
      const form = new FormData();
      form.set("next", next);
      return answerWithKey(beginSecondFactorKeyAction, secondFactorAction, form);
    }, [next]),
  );
  const started = useRef(false);
  useEffect(() => {
    if (!keys || unavailable || started.current) return;
    started.current = true;
    startKey();
  }, [keys, unavailable, startKey]);

  return (
    <div className="stack">
      {keys && (
        <div className="stack" data-testid="key-step">
          <FormStatus error={keyState.error} testId="key-status" />
          <KeyButton onClick={startKey} busy={keyBusy} unavailable={unavailable}>
            Use your security key
          </KeyButton>
        </div>
      )}
      <form action={action} className="stack" noValidate>
        <FormStatus error={state.error} testId="two-factor-status" />
        <input type="hidden" name="next" value={next} />
        <SecondFactorCode label="Authentication code" autoFocus={!keys} error={state.fieldErrors?.code} />
        <SubmitButton>Verify</SubmitButton>
      </form>
    </div>
  );
}

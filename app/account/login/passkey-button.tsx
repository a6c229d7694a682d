"use client";
// "Sign in with a passkey": the browser's account picker, with user verification, and no password.
import { useCallback } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { KeyButton } from "@/components/account/key-button";
import { answerWithKey } from "@/components/account/key-ceremony";
import { useKeyCeremony } from "@/components/account/use-key-ceremony";
import { beginPasskeyAction, passkeySignInAction } from "./actions";

export function PasskeyButton({ next, unavailable }: { next: string; unavailable: string | null }) {
  const [state, start, busy] = useKeyCeremony(
    useCallback(() => {
      const form = new FormData();
      form.set("next", next);
      return answerWithKey(beginPasskeyAction, passkeySignInAction, form);
    }, [next]),
  );
  return (
    <div className="stack" data-testid="passkey-sign-in">
      <FormStatus error={state.error} testId="passkey-status" />
      <KeyButton onClick={start} busy={busy} unavailable={unavailable}>
        Sign in with a passkey
      </KeyButton>
    </div>
  );
}

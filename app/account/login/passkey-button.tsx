"use client";
// "Sign in with a passkey": the browser's account picker, with user verification, and no password.
import { useCallback } from "react";
import { FormStatus } from "@/components/ui/form-status";
import { KeyButton } from "@/components/account/key-button";
import { assertWithKey } from "@/components/account/key-ceremony";
import type { ActionState } from "@/lib/http/action";
import { useKeyCeremony } from "@/components/account/use-key-ceremony";
import { beginPasskeyAction, passkeySignInAction } from "./actions";

export function PasskeyButton({ next, unavailable }: { next: string; unavailable: string | null }) {
  const [state, start, busy] = useKeyCeremony(
    useCallback(async (): Promise<ActionState> => {
      const begun = await beginPasskeyAction({}, new FormData());
      if (!begun.ok) return begun;
      const used = await assertWithKey(begun.data?.options);
      if (!used.ok) return { error: used.error };
      const form = new FormData();
      form.set("assertion", used.response);
      form.set("next", next);
      return passkeySignInAction({}, form);
    }, [next]),
  );
  return (
    <div className="stack" data-testid="passkey-sign-in">
      <FormStatus error={state.error} testId="passkey-status" />
      <KeyButton onClick={start} busy={busy} unavailable={unavailable}>Sign in with a passkey</KeyButton>
    </div>
  );
}

// The browser half of the WebAuthn ceremonies (@simplewebauthn/browser), with the browser's
// refusals turned into sentences. Bundled client code: no inline script, no eval.
import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/browser";
import type { ActionState } from "@/lib/http/action";

export type Ceremony = { ok: true; response: string } | { ok: false; error: string };

function explain(err: unknown): string {
  const name = err instanceof Error ? err.name : "";
  if (name === "NotAllowedError")
    return "The security key prompt was cancelled or timed out. Try again when your key is ready.";
  if (name === "InvalidStateError") return "This security key is already registered to your account.";
  if (name === "SecurityError") return "This browser refused to use a security key on this address.";
  return "Your browser could not use a security key here. Try again, or use another way to confirm.";
}

export async function createKey(options: unknown): Promise<Ceremony> {
  if (!browserSupportsWebAuthn()) return { ok: false, error: "This browser does not support security keys." };
  try {
    const response = await startRegistration({ optionsJSON: options as PublicKeyCredentialCreationOptionsJSON });
    return { ok: true, response: JSON.stringify(response) };
  } catch (err) {
    return { ok: false, error: explain(err) };
  }
}

export async function assertWithKey(options: unknown): Promise<Ceremony> {
  if (!browserSupportsWebAuthn()) return { ok: false, error: "This browser does not support security keys." };
  try {
    const response = await startAuthentication({ optionsJSON: options as PublicKeyCredentialRequestOptionsJSON });
    return { ok: true, response: JSON.stringify(response) };
  } catch (err) {
    return { ok: false, error: explain(err) };
  }
}

/** Closes a prompt still waiting for a key, e.g. when the user chose to type a code instead. */
export function cancelKeyPrompt(): void {
  WebAuthnAbortService.cancelCeremony();
}

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

/**
 * What every use of a key to sign in or confirm does: ask the server (`begin`) for a challenge, let
 * the browser answer it with a key, and send the answer to `submit` as the form's "assertion".
 */
export async function answerWithKey(begin: Action, submit: Action, form = new FormData()): Promise<ActionState> {
  const begun = await begin({}, new FormData());
  if (!begun.ok) return begun;
  const used = await assertWithKey(begun.data?.options);
  if (!used.ok) return { error: used.error };
  form.set("assertion", used.response);
  return submit({}, form);
}

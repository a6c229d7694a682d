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

export type Ceremony = { ok: true; response: string } | { ok: false; error: string };

function explain(err: unknown): string {
  const name = err instanceof Error ? err.name : "";
  if (name === "NotAllowedError") return "The security key prompt was cancelled or timed out. Try again when your key is ready.";
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

// Chromium's virtual authenticator (DevTools protocol): a security key or passkey the tests control,
// including its credentials' sign counters (to play a cloned key).
import type { CDPSession, Page } from "@playwright/test";

export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

export class VirtualAuthenticator {
  private constructor(
    private readonly cdp: CDPSession,
    readonly id: string,
  ) {}

  /**
   * Adds an internal (platform) authenticator that holds passkeys and, unless `userVerification`
   * is false, verifies the user (a PIN or fingerprint); without it, it only checks presence.
   */
  static async attach(page: Page, options: { userVerification?: boolean } = {}): Promise<VirtualAuthenticator> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: options.userVerification ?? true,
        isUserVerified: options.userVerification ?? true,
        automaticPresenceSimulation: true,
      },
    });
    return new VirtualAuthenticator(cdp, authenticatorId);
  }

  async credentials(): Promise<VirtualCredential[]> {
    const { credentials } = await this.cdp.send("WebAuthn.getCredentials", { authenticatorId: this.id });
    return credentials as VirtualCredential[];
  }

  /** Replaces a credential by a copy with the given sign count (what a cloned key would present). */
  async setSignCount(credential: VirtualCredential, signCount: number): Promise<void> {
    await this.cdp.send("WebAuthn.removeCredential", {
      authenticatorId: this.id,
      credentialId: credential.credentialId,
    });
    await this.cdp.send("WebAuthn.addCredential", {
      authenticatorId: this.id,
      credential: { ...credential, signCount },
    });
  }
}

// A software WebAuthn authenticator for the integration tests: a real P-256 key pair that answers
// registration and assertion ceremonies exactly as a browser would hand them to the server (attestation
// "none"), with its sign counter, user verification and discoverability under the test's control.
// CBOR comes from @simplewebauthn/server's own helpers.
import crypto from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";

const b64url = (b: Uint8Array | Buffer) => Buffer.from(b).toString("base64url");
const sha256 = (b: Uint8Array | Buffer | string) => crypto.createHash("sha256").update(b).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export interface SoftAuthenticatorOptions {
  origin?: string;
  rpID?: string;
  /** Whether it verifies the user (PIN, biometrics): the UV flag. */
  userVerified?: boolean;
  /** Whether it keeps a discoverable credential (a passkey). */
  residentKey?: boolean;
}

export class SoftAuthenticator {
  readonly credentialId = crypto.randomBytes(32);
  private readonly keys = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  counter = 0;
  userHandle: string | null = null;
  readonly origin: string;
  readonly rpID: string;
  userVerified: boolean;
  readonly residentKey: boolean;

  constructor(options: SoftAuthenticatorOptions = {}) {
    this.origin = options.origin ?? "http://localhost:3000";
    this.rpID = options.rpID ?? "localhost";
    this.userVerified = options.userVerified ?? true;
    this.residentKey = options.residentKey ?? true;
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  private flags(extra = 0): number {
    return FLAG_UP | (this.userVerified ? FLAG_UV : 0) | extra;
  }

  private counterBytes(): Buffer {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(this.counter);
    return b;
  }

  private cosePublicKey(): Uint8Array {
    const jwk = this.keys.publicKey.export({ format: "jwk" });
    const key = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x!, "base64url")],
      [-3, Buffer.from(jwk.y!, "base64url")],
    ]);
    return isoCBOR.encode(key);
  }

  private clientData(type: string, challenge: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false }));
  }

  /** The browser's answer to registration options with this challenge, as a JSON string. */
  register(options: { challenge: string; user: { id: string } }): string {
    this.userHandle = options.user.id;
    const credIdLength = Buffer.alloc(2);
    credIdLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      sha256(this.rpID),
      Buffer.from([this.flags(FLAG_AT)]),
      this.counterBytes(),
      Buffer.alloc(16), // AAGUID: none
      credIdLength,
      this.credentialId,
      this.cosePublicKey(),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]) as never,
    );
    return JSON.stringify({
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(this.clientData("webauthn.create", options.challenge)),
        attestationObject: b64url(attestationObject),
        transports: ["usb"],
      },
      clientExtensionResults: { credProps: { rk: this.residentKey } },
    });
  }

  /** An assertion for this challenge, counting up first (set `counter` to go backwards). */
  assert(challenge: string, options: { bump?: boolean } = {}): string {
    if (options.bump !== false) this.counter += 1;
    const authData = Buffer.concat([sha256(this.rpID), Buffer.from([this.flags()]), this.counterBytes()]);
    const clientDataJSON = this.clientData("webauthn.get", challenge);
    const signature = crypto.sign("sha256", Buffer.concat([authData, sha256(clientDataJSON)]), this.keys.privateKey);
    return JSON.stringify({
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(this.residentKey && this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      clientExtensionResults: {},
    });
  }
}

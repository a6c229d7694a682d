"use client";
// Enrolment in two steps: show the secret (QR code and text), then turn 2FA on with a code from the app.
import { useActionState, useEffect, useRef } from "react";
import { QRCodeSVG } from "qrcode.react";
import { Field } from "@/components/ui/field";
import { FormStatus } from "@/components/ui/form-status";
import { SubmitButton } from "@/components/ui/submit-button";
import { beginEnrolmentAction, confirmEnrolmentAction } from "@/app/account/(manage)/security/actions";
import { RecoveryCodes } from "../../../../components/account/recovery-codes";

export function TotpEnrolment() {
  const [begun, begin] = useActionState(beginEnrolmentAction, {});
  const [confirmed, confirm] = useActionState(confirmEnrolmentAction, {});
  const codes = confirmed.data?.recoveryCodes as string[] | undefined;
  const uri = begun.data?.uri as string | undefined;
  const grouped = begun.data?.groupedSecret as string | undefined;
  // The next step's heading takes the focus, so keyboard and screen reader users start there.
  const stepHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (uri) stepHeading.current?.focus();
  }, [uri]);
  if (codes) return <RecoveryCodes codes={codes} />;

  if (!uri || !grouped) {
    return (
      <form action={begin} className="stack">
        <FormStatus error={begun.error} />
        <p>
          Use an authenticator app (such as Aegis, FreeOTP, Google Authenticator or 1Password) to get a code at every
          sign-in.
        </p>
        <div className="actions">
          <SubmitButton>Add an authenticator app</SubmitButton>
        </div>
      </form>
    );
  }
  return (
    <div className="stack">
      <h4 ref={stepHeading} tabIndex={-1}>
        Set up your authenticator app
      </h4>
      <ol>
        <li>
          <p>Scan this QR code with your authenticator app:</p>
          <div className="qr" data-testid="totp-qr">
            <QRCodeSVG value={uri} size={192} marginSize={2} title="QR code for your authenticator app" />
          </div>
          <p className="small">
            Or enter this key by hand:{" "}
            <span className="secret" data-testid="totp-secret">
              {grouped}
            </span>
          </p>
        </li>
        <li>
          <form action={confirm} className="stack" noValidate>
            <FormStatus error={confirmed.error} />
            <Field
              name="code"
              label="Code from the app"
              autoComplete="one-time-code"
              inputMode="numeric"
              required
              maxLength={20}
              id="enrol-code"
              error={confirmed.fieldErrors?.code}
            />
            <div className="actions">
              <SubmitButton>Enable two-factor authentication</SubmitButton>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}

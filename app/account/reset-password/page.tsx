import type { Metadata } from "next";
import { RequestResetForm } from "./reset-forms";

export const metadata: Metadata = { title: "Reset your password" };

export default function ResetPasswordPage() {
  return (
    <div className="narrow">
      <h1>Reset your password</h1>
      <p className="muted">
        We will email you a link to choose a new password. A reset signs out every session and keeps two-factor
        authentication on: you will still need your authenticator app or a recovery code.
      </p>
      <div className="card">
        <RequestResetForm />
      </div>
    </div>
  );
}

"use client";
// New recovery codes, shown once: copy or download them, then type one back (with the list hidden)
// to show they were saved, as pypi.org asks. The check is local: it proves saving, not identity.
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";

const comparable = (code: string) =>
  code
    .toLowerCase()
    .replace(/[^0-9a-z]/g, "")
    .replace(/^wh/, "");

export function RecoveryCodes({ codes }: { codes: string[] }) {
  const router = useRouter();
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  // Each step's heading takes the focus, so keyboard and screen reader users start at the new step.
  useEffect(() => heading.current?.focus(), [checking]);
  const text = `Wheelhouse recovery codes (each works once)\n\n${codes.join("\n")}\n`;

  if (checking) {
    return (
      <form
        className="stack"
        noValidate
        data-testid="recovery-codes-check"
        onSubmit={(e) => {
          e.preventDefault();
          const typed = comparable(String(new FormData(e.currentTarget).get("saved") ?? ""));
          if (codes.some((c) => comparable(c) === typed)) router.refresh();
          else setError("That is not one of the codes just shown. Check what you saved, or show the codes again.");
        }}
      >
        <h3 ref={heading} tabIndex={-1}>
          Type one of your recovery codes
        </h3>
        <p>To be sure you saved them, type one of the codes from where you keep them. It stays valid.</p>
        <Field
          name="saved"
          label="One of your recovery codes"
          autoComplete="off"
          required
          maxLength={100}
          error={error}
        />
        <div className="actions">
          <button type="submit" className="button">
            Finish
          </button>
          <button type="button" className="button button-secondary" onClick={() => setChecking(false)}>
            Show the codes again
          </button>
        </div>
      </form>
    );
  }
  return (
    <div data-testid="recovery-codes">
      <h3 ref={heading} tabIndex={-1}>
        Your recovery codes
      </h3>
      <p className="banner banner-warn" role="status">
        <strong>Two-factor authentication is on. Save these recovery codes now.</strong> Each one signs you in once if
        you lose your authenticator app or security keys. They will not be shown again.
      </p>
      <ul className="code-grid">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className="actions">
        <CopyButton text={text} />
        <a
          className="button button-secondary"
          download="wheelhouse-recovery-codes.txt"
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
        >
          Download
        </a>
        <button type="button" className="button" onClick={() => setChecking(true)}>
          I have saved them
        </button>
      </div>
    </div>
  );
}

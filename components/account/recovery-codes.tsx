"use client";
// New recovery codes, shown once: copy or download them before leaving.
import { useRouter } from "next/navigation";
import { CopyButton } from "@/components/ui/copy-button";

export function RecoveryCodes({ codes }: { codes: string[] }) {
  const router = useRouter();
  const text = `Wheelhouse recovery codes (each works once)\n\n${codes.join("\n")}\n`;
  return (
    <div data-testid="recovery-codes">
      <p className="banner banner-warn">
        <strong>Save these recovery codes now.</strong> Each one signs you in once if you lose your authenticator app.
        They will not be shown again.
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
        <button type="button" className="button" onClick={() => router.refresh()}>
          I have saved them
        </button>
      </div>
    </div>
  );
}

// The one-line install command with a copy button; the command is plain text, so it works without JavaScript too.
import { CopyButton } from "@/components/ui/copy-button";

export function PipInstall({ command, testId = "pip-install" }: { command: string; testId?: string }) {
  return (
    <div className="pip-install" data-testid={testId}>
      <code>{command}</code>
      <CopyButton text={command} label="Copy" />
    </div>
  );
}

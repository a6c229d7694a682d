// The one-line install command with a copy button; the command is plain text, so it works without JavaScript too.
// On a phone the index URL must wrap: <wbr> after each "/" lets it break between path segments, not mid-word.
import { CopyButton } from "@/components/ui/copy-button";

export function PipInstall({ command, testId = "pip-install" }: { command: string; testId?: string }) {
  return (
    <div className="pip-install" data-testid={testId}>
      <code>{command.split(/(?<=\/)/).flatMap((part, i) => (i ? [<wbr key={i} />, part] : [part]))}</code>
      <CopyButton text={command} label="Copy" />
    </div>
  );
}

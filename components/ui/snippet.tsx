// A command or configuration file to copy: its name, the text (plain, so it reads and selects without
// JavaScript) and a copy button.
import { CopyButton } from "./copy-button";

export function Snippet({ title, text, testId }: { title: string; text: string; testId?: string }) {
  return (
    <figure className="snippet" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <pre>
        <code>{text}</code>
      </pre>
      <div className="snippet-actions">
        <CopyButton text={text} what={title} />
      </div>
    </figure>
  );
}

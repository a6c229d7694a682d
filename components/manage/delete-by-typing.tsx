// A deletion behind a disclosure, confirmed by typing the name of what goes (files, releases).
import type { ComponentProps, ReactNode } from "react";
import { ActionForm } from "./action-form";

export function DeleteByTyping({
  summary,
  name,
  action,
  hidden,
  submit,
  testId,
  children,
}: {
  summary: string;
  name: string;
  action: ComponentProps<typeof ActionForm>["action"];
  hidden: Record<string, string>;
  submit: string;
  testId: string;
  children?: ReactNode;
}) {
  return (
    <details>
      <summary>{summary}</summary>
      {children}
      <ActionForm action={action} hidden={hidden} submit={submit} variant="danger" testId={testId}>
        <label>
          Type <code>{name}</code> to confirm: <input type="text" name="confirm" autoComplete="off" />
        </label>
      </ActionForm>
    </details>
  );
}

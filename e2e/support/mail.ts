// Reads what the end-to-end SMTP listener received.
import fs from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { E2E } from "./env";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  file: string;
}

async function readAll(): Promise<Mail[]> {
  if (!fs.existsSync(E2E.mailbox)) return [];
  const files = fs.readdirSync(E2E.mailbox).sort();
  return Promise.all(
    files.map(async (file) => {
      const parsed = await simpleParser(fs.readFileSync(path.join(E2E.mailbox, file)));
      const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? "");
      return { to, subject: parsed.subject ?? "", text: parsed.text ?? "", file };
    }),
  );
}

/** Waits for a message to `to` whose subject matches, received after `since` messages to that address. */
export async function waitForMail(
  to: string,
  subject: RegExp,
  options: { after?: number; timeoutMs?: number } = {},
): Promise<Mail> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const mails = (await readAll()).filter((m) => m.to.toLowerCase().includes(to.toLowerCase()));
    const match = mails.slice(options.after ?? 0).find((m) => subject.test(m.subject));
    if (match) return match;
    if (Date.now() > deadline) {
      throw new Error(
        `No mail to ${to} matching ${subject} (got: ${mails.map((m) => m.subject).join(" | ") || "none"})`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function countMail(to: string): Promise<number> {
  return (await readAll()).filter((m) => m.to.toLowerCase().includes(to.toLowerCase())).length;
}

export function linkIn(mail: Mail, pathPrefix: string): string {
  const match = mail.text.match(new RegExp(`https?://\\S+${pathPrefix.replace(/[/?]/g, "\\$&")}\\S*`));
  if (!match) throw new Error(`No ${pathPrefix} link in mail "${mail.subject}":\n${mail.text}`);
  return match[0];
}

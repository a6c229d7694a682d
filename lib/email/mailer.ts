// Sends Wheelhouse's mail: through SMTP when SMTP_URL is set, otherwise as .eml files in the data
// directory (the start-up log says where), so a fresh install works with no mail server.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import { config } from "@/lib/config";

export interface Message {
  to: string;
  subject: string;
  text: string;
}

let transport: Transporter | undefined;

export function mailOutbox(): string {
  return path.join(config().dataDir, "mail");
}

function getTransport(): Transporter {
  if (transport) return transport;
  const { SMTP_URL } = config();
  transport = SMTP_URL
    ? nodemailer.createTransport(SMTP_URL)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return transport;
}

/**
 * Sends one message. Delivery problems are logged, not thrown: the action that triggered the mail
 * (a sign-up, a 2FA change) has already happened and must not be reported as failed.
 */
export async function sendMail(message: Message): Promise<boolean> {
  const { MAIL_FROM, SMTP_URL } = config();
  try {
    const info = await getTransport().sendMail({ from: MAIL_FROM, ...message });
    if (!SMTP_URL) {
      const dir = mailOutbox();
      fs.mkdirSync(dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${crypto.randomBytes(4).toString("hex")}.eml`;
      fs.writeFileSync(path.join(dir, name), info.message as Buffer, { mode: 0o600 });
    }
    return true;
  } catch (err) {
    console.error(`wheelhouse: could not send "${message.subject}": ${err instanceof Error ? err.message : err}`);
    return false;
  }
}

// Hands one message to the mail system: through SMTP when SMTP_URL is set, otherwise as an .eml
// file in the data directory (the start-up log says where), so a fresh install works with no mail
// server. Only the outbox (./outbox.ts) calls it: everything else queues mail there.
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

/** Where mail goes without SMTP_URL. */
export function mailDirectory(): string {
  return path.join(config().dataDir, "mail");
}

function getTransport(): Transporter {
  if (transport) return transport;
  const { SMTP_URL } = config();
  // Bounded waits (nodemailer's own allow 10 minutes of silence): an attempt must end well within
  // the outbox's claim on its row (CLAIM_MS in ./outbox.ts), or another process could send it too.
  transport = SMTP_URL
    ? nodemailer.createTransport(SMTP_URL, {
        connectionTimeout: 30_000,
        greetingTimeout: 30_000,
        socketTimeout: 60_000,
      })
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return transport;
}

/** Delivers one message; throws when the mail server (or the disk) refuses it. */
export async function deliver(message: Message): Promise<void> {
  const { MAIL_FROM, SMTP_URL } = config();
  const info = await getTransport().sendMail({ from: MAIL_FROM, ...message });
  if (!SMTP_URL) {
    const dir = mailDirectory();
    fs.mkdirSync(dir, { recursive: true });
    const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${crypto.randomBytes(4).toString("hex")}.eml`;
    fs.writeFileSync(path.join(dir, name), info.message as Buffer, { mode: 0o600 });
  }
}

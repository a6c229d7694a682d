// Shared helpers for the unit tests: unique users, request info and reading the mail outbox.
// Test files run in parallel against one database, so everything here is unique per call.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import type { RequestInfo } from "@/lib/http/request-info";
import { firstAttemptsSettled } from "@/lib/email/outbox";
import { db } from "@/lib/db/client";
import {
  openSession,
  resolveSession,
  setSudoUntil,
  type ActiveSession,
  type SessionStage,
} from "@/lib/accounts/sessions";

/** A strong password that zxcvbn scores well above the minimum. */
export const STRONG_PASSWORD = "correct horse battery staple 7!";

export const suffix = () => crypto.randomBytes(5).toString("hex");

/** A fresh temp dir for the mail outbox; call before anything reads config(). */
export function withTempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wh-unit-"));
  process.env.WHEELHOUSE_DATA_DIR = dir;
  delete process.env.SMTP_URL;
  return dir;
}

/** A random private-range IP, so the per-IP limits of parallel tests never collide. */
export function requestInfo(): RequestInfo {
  const b = crypto.randomBytes(3);
  return { ip: `10.${b[0]}.${b[1]}.${b[2]}`, userAgent: "vitest" };
}

export function uniqueIdentity(prefix = "u") {
  const s = suffix();
  return { username: `${prefix}-${s}`, email: `${prefix}.${s}@example.com` };
}

/** A session opened on its own, for a test's setup (a sign-in opens its own with its history row). */
export function createSession(userId: string, stage: SessionStage, info: RequestInfo, now?: Date): Promise<string> {
  return openSession(db(), userId, stage, info, now);
}

export interface ReadMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Every message in `<dataDir>/mail` addressed to `to` (case-insensitive), oldest first, once the
 * first delivery attempts of what this test queued have ended (they run in the background).
 */
export async function mailTo(dataDir: string, to: string): Promise<ReadMail[]> {
  await firstAttemptsSettled();
  const dir = path.join(dataDir, "mail");
  if (!fs.existsSync(dir)) return [];
  const out: ReadMail[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith(".eml")) continue;
    const parsed = await simpleParser(fs.readFileSync(path.join(dir, name)));
    const addresses = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((a) =>
      a.value.map((v) => (v.address ?? "").toLowerCase()),
    );
    if (addresses.includes(to.toLowerCase())) {
      out.push({ to, subject: parsed.subject ?? "", text: parsed.text ?? "" });
    }
  }
  return out;
}

/** The token of the newest verify-email link sent to `to`. */
export async function latestVerifyToken(dataDir: string, to: string): Promise<string> {
  const messages = (await mailTo(dataDir, to)).filter((m) => /verify-email\?token=/.test(m.text));
  const last = messages.at(-1);
  if (!last) throw new Error(`no verification mail to ${to}`);
  const match = /verify-email\?token=([A-Za-z0-9_-]+)/.exec(last.text);
  return match![1]!;
}

/** A signed-in session of `userId` that confirmed its identity just now (sudo mode), and its cookie's token. */
export async function confirmedSession(userId: string): Promise<{ session: ActiveSession; token: string }> {
  const token = await createSession(userId, "full", requestInfo());
  await setSudoUntil(crypto.createHash("sha256").update(token).digest("hex"), new Date(Date.now() + 10 * 60_000));
  return { session: (await resolveSession(token))!, token };
}

/** A signed-in session of `userId` that confirmed its identity just now (sudo mode). */
export async function sudoSession(userId: string): Promise<ActiveSession> {
  return (await confirmedSession(userId)).session;
}

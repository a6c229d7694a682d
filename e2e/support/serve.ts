// Playwright's web server: a real SMTP listener that files every message it receives, and the
// production Wheelhouse server on a fresh data directory, sending its mail there.
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { SMTPServer } from "smtp-server";
import { E2E, ROOT, SERVER_ENTRY, serverEnv } from "./env";

fs.rmSync(E2E.dataDir, { recursive: true, force: true });
fs.rmSync(E2E.mailbox, { recursive: true, force: true });
fs.mkdirSync(E2E.mailbox, { recursive: true });

let seq = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      const name = `${Date.now()}-${String(++seq).padStart(5, "0")}.eml`;
      fs.writeFileSync(path.join(E2E.mailbox, name), Buffer.concat(chunks));
      callback();
    });
  },
});
smtp.listen(E2E.smtpPort, "127.0.0.1");

const env = serverEnv();
const server = spawn(process.execPath, [SERVER_ENTRY], {
  cwd: ROOT,
  env,
  stdio: "inherit",
});
server.on("exit", (code) => {
  smtp.close();
  process.exit(code ?? 1);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.kill(signal));
}

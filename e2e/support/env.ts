// Where the end-to-end server lives: its own port, data directory, database port and mail sink.
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const E2E = {
  port: Number(process.env.E2E_PORT ?? 3100),
  smtpPort: Number(process.env.E2E_SMTP_PORT ?? 2526),
  pgPort: Number(process.env.E2E_PG_PORT ?? 25392),
  dataDir: path.join(ROOT, ".data/e2e"),
  mailbox: path.join(ROOT, ".data/e2e-mailbox"),
};
/** What `npm start` and `npm run admin` run: the server compiled by `npm run build`, under plain node. */
export const SERVER_ENTRY = path.join(ROOT, "dist/server/main.js");
export const ADMIN_ENTRY = path.join(ROOT, "dist/scripts/admin.js");
// localhost, as the server's default public address: browsers refuse an IP address for security keys.
export const BASE_URL = `http://localhost:${E2E.port}`;

/** The environment for a Wheelhouse process (server or admin CLI) of the end-to-end setup. */
export function serverEnv(): NodeJS.ProcessEnv {
  const { DATABASE_URL: _external, ...inherited } = process.env;
  return {
    ...inherited,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(E2E.port),
    HOST: "127.0.0.1",
    WHEELHOUSE_DATA_DIR: E2E.dataDir,
    EMBEDDED_PG_PORT: String(E2E.pgPort),
    SMTP_URL: `smtp://127.0.0.1:${E2E.smtpPort}`,
    // Lowered so the oversized-upload test need not send 100 MB.
    WHEELHOUSE_MAX_UPLOAD_MB: "2",
    // Specs read a page twice and expect the second answer from memory, and each edge process keeps
    // its own copy: one edge here. The faults and two-processes specs run servers with two.
    WHEELHOUSE_WORKERS: "1",
    // Two Next.js workers whatever the machine's cores, so every flow's steps (a page, then its
    // action) also cross from one worker to the other.
    WHEELHOUSE_NEXT_WORKERS: "2",
  };
}

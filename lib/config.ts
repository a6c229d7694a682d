// The one place that reads Wheelhouse's environment: typed, validated, with defaults for the embedded setup.
import "server-only";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const schema = z
  .object({
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    WHEELHOUSE_URL: z.url().optional(),
    WHEELHOUSE_DATA_DIR: z.string().min(1).default(".data"),
    DATABASE_URL: z.string().min(1).optional(),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    AUTH_SECRET: z.string().min(32).optional(),
    WHEELHOUSE_ENCRYPTION_KEY: z.string().optional(),
    SMTP_URL: z.string().min(1).optional(),
    MAIL_FROM: z.string().min(3).default("Wheelhouse <wheelhouse@localhost>"),
    SESSION_IDLE_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 365)
      .default(12),
    WHEELHOUSE_REQUIRE_2FA: bool.default(true),
    WHEELHOUSE_MAX_UPLOAD_MB: z.coerce.number().positive().max(100_000).default(100),
    // How many reverse proxies in front of Wheelhouse append to X-Forwarded-For; `true` means one.
    TRUST_PROXY: z
      .union([bool, z.coerce.number().int().min(0).max(100)], {
        error: "true, false, or the number of proxies in front of Wheelhouse",
      })
      .transform((v) => (typeof v === "number" ? v : v ? 1 : 0))
      .default(0),
    // Open connections one client address may hold (0: no cap); not applied behind a trusted proxy.
    WHEELHOUSE_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(0).max(1_000_000).default(64),
    // Edge processes (the fast paths, each on a core of its own) in front of the Next.js workers.
    // One by default: on 2 cores a second edge measured no faster (the Next worker, PostgreSQL and the
    // clients share the cores) and doubles the caches' memory; machines with cores to spare raise it.
    WHEELHOUSE_WORKERS: z.coerce.number().int().min(1).max(256).default(1),
    // Next.js workers, the processes that render pages and run actions: one renders on one core, so
    // one per core, up to 4 by default (each holds 250-350 MB and up to 10 database connections).
    WHEELHOUSE_NEXT_WORKERS: z.coerce
      .number()
      .int()
      .min(1)
      .max(64)
      .default(() => Math.min(os.availableParallelism(), 4)),
    // Memory for the fast paths' caches (index pages, anonymous project pages, small files), per process.
    WHEELHOUSE_CACHE_MB: z.coerce.number().min(0).max(100_000).default(128),
    // Where distribution files are stored: the data directory, or an S3-compatible bucket.
    WHEELHOUSE_STORAGE: z.enum(["local", "s3"]).default("local"),
    WHEELHOUSE_S3_DOWNLOADS: z.enum(["proxy", "redirect"]).default("proxy"),
    S3_BUCKET: z.string().min(1).optional(),
    S3_ENDPOINT: z.url().optional(),
    S3_REGION: z.string().min(1).default("us-east-1"),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: bool.default(false),
    S3_PREFIX: z.string().default("packages/"),
  })
  .superRefine((v, ctx) => {
    if (v.WHEELHOUSE_STORAGE === "s3" && !v.S3_BUCKET) {
      ctx.addIssue({
        code: "custom",
        path: ["S3_BUCKET"],
        message: "required when WHEELHOUSE_STORAGE=s3: the bucket that holds the files",
      });
    }
    // Half a key pair would silently fall back to the SDK's default chain and some other identity.
    if (!v.S3_ACCESS_KEY_ID !== !v.S3_SECRET_ACCESS_KEY) {
      ctx.addIssue({
        code: "custom",
        path: [v.S3_ACCESS_KEY_ID ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID"],
        message:
          "set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither to use the AWS default credential chain",
      });
    }
  });

/** Where security keys are bound: the public address's host, or why there can be none. */
export type RelyingParty = { rpID: string; origin: string } | { unavailable: string };

export type Config = z.infer<typeof schema> & { dataDir: string; baseUrl: string; relyingParty: RelyingParty };

/**
 * WebAuthn binds every key to a domain (the relying party ID) and browsers refuse an IP address
 * as one, so keys work only when the public address names a host (localhost included).
 */
function relyingPartyFor(baseUrl: string): RelyingParty {
  const url = new URL(baseUrl);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(host)) {
    return {
      unavailable:
        `Security keys and passkeys need a host name, and this Wheelhouse's address (${url.host}) is an IP address: ` +
        `set WHEELHOUSE_URL to a name such as http://localhost:${url.port || "80"}.`,
    };
  }
  return { rpID: host, origin: url.origin };
}

let cached: Config | undefined;

/** Reads and validates the environment once; a bad value stops start-up with a message naming it. */
export function config(): Config {
  if (cached) return cached;
  // An empty variable (as `.env` files write `DATABASE_URL=`) means "use the default".
  const env = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid Wheelhouse configuration:\n${problems}`);
  }
  const values = parsed.data;
  // On loopback the public address is localhost, not 127.0.0.1: browsers accept only a name as a
  // WebAuthn relying party ID. Any other listening address stays as it is.
  const loopback = ["127.0.0.1", "::1", "localhost"].includes(values.HOST);
  const baseUrl = (values.WHEELHOUSE_URL ?? `http://${loopback ? "localhost" : values.HOST}:${values.PORT}`).replace(
    /\/+$/,
    "",
  );
  cached = {
    ...values,
    dataDir: path.resolve(values.WHEELHOUSE_DATA_DIR),
    baseUrl,
    relyingParty: relyingPartyFor(baseUrl),
  };
  return cached;
}

// What start-up settles (lib/runtime/bootstrap.ts): the database (the embedded one's address too)
// and the secrets, from configuration or the data directory. A process started by one that settled
// them (the Next.js worker, server/backend.ts) receives them as ordinary variables: `childEnv()`.
const SETTLED = {
  databaseUrl: "DATABASE_URL",
  authSecret: "AUTH_SECRET",
  encryptionKey: "WHEELHOUSE_ENCRYPTION_KEY",
} as const;
export type Settled = Record<keyof typeof SETTLED, string>;

let settledValues: Partial<Settled> = {};

/** Called once by start-up; every module then reads these through `settled()`, never the environment. */
export function settle(values: Settled): void {
  settledValues = { ...values };
}

export function settled(name: keyof Settled): string {
  const value = settledValues[name] ?? config()[SETTLED[name]];
  if (!value)
    throw new Error(
      `${SETTLED[name]} is not set: start Wheelhouse with \`npm start\` or \`npm run up\`, which prepare it.`,
    );
  return value;
}

/** The environment of a child Wheelhouse process: this one's, with the settled values as its variables. */
export function childEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...Object.fromEntries(
      Object.entries(SETTLED).map(([name, variable]) => [variable, settled(name as keyof Settled)]),
    ),
  };
}

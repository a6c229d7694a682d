// How long a request may wait for PostgreSQL, and how "the database is not answering" is told from
// other failures. A paused, restarting or unreachable database must cost a request a bounded wait
// and a 503 with Retry-After, never an endless hang or a 500: every pool takes its options from
// here, and the server maps errors with `isDatabaseUnavailable` (server/main.ts, server/backend.ts).
import type http from "node:http";
import { AsyncLocalStorage } from "node:async_hooks";
import pg from "pg";
import { settled } from "@/lib/config";

/** The longest wait for a connection, and for the answer to one query. */
export const DATABASE_WAIT_MS = 5_000;
/** The longest a transaction may run (the upload's commit is the longest legitimate one). */
export const TRANSACTION_LIMIT_MS = 15_000;
export const RETRY_AFTER_SECONDS = 10;
export const UNAVAILABLE_MESSAGE = "Wheelhouse cannot reach its database right now. Please retry in a few seconds.\n";

export function poolConfig(connectionString: string | undefined, max: number): pg.PoolConfig {
  return {
    connectionString,
    max,
    connectionTimeoutMillis: DATABASE_WAIT_MS, // opening a connection, and waiting for a free one
    query_timeout: DATABASE_WAIT_MS, // client-side: also ends the wait on a database that is paused
    // Server-side twins of the client's limits: a statement the client gave up on, or a transaction
    // a crashed or stuck caller left open, would otherwise go on holding its locks and its backend.
    // No statement in the app's pool is legitimately slower (migrations and the storage sweep use
    // connections of their own, without these limits).
    // Shorter than the client's wait, so PostgreSQL ends the statement itself (57014) and the
    // connection stays usable rather than being dropped mid-query.
    statement_timeout: DATABASE_WAIT_MS - 500,
    idle_in_transaction_session_timeout: TRANSACTION_LIMIT_MS,
    keepAlive: true,
  };
}

// Node's socket errors, and PostgreSQL's SQLSTATEs for a connection lost or refused (class 08,
// admin/crash shutdown, still starting, too many connections) or a statement that ran out of time
// (57014, statement_timeout: the database too busy to answer in time).
const CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "57P01",
  "57P02",
  "57P03",
  "57014",
  "53300",
]);
// Prisma's codes for the same (can't reach, timed out, closed, pool timeout) and its adapter's kinds.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const MESSAGES = new RegExp(
  [
    "Connection terminated",
    "timeout exceeded when trying to connect",
    "Query read timeout",
    "Connection is not open",
    "connection (?:is )?closed",
    "Client has encountered a connection error",
  ].join("|"),
  "i",
);

/** Whether `err` (from pg or Prisma, possibly wrapped) says the database could not be reached in time. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (e: unknown): boolean => {
    if (!e || typeof e !== "object" || seen.has(e)) return false;
    seen.add(e);
    const x = e as {
      code?: unknown;
      originalCode?: unknown;
      kind?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
      meta?: { driverAdapterError?: unknown };
    };
    if (typeof x.code === "string" && (CODES.has(x.code) || PRISMA_CODES.has(x.code) || x.code.startsWith("08")))
      return true;
    if (typeof x.originalCode === "string" && (CODES.has(x.originalCode) || x.originalCode.startsWith("08")))
      return true;
    if (typeof x.kind === "string" && KINDS.has(x.kind)) return true;
    if (typeof x.message === "string" && MESSAGES.test(x.message)) return true;
    return visit(x.cause) || visit(x.meta?.driverAdapterError) || (Array.isArray(x.errors) && x.errors.some(visit));
  };
  return visit(err);
}

/** The answer for a request that could not be served because the database did not answer in time. */
export function sendUnavailable(res: http.ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(503, {
    "content-type": "text/plain; charset=utf-8",
    "retry-after": String(RETRY_AFTER_SECONDS),
    "cache-control": "no-store",
  });
  res.end(UNAVAILABLE_MESSAGE);
}

let lastProbe: { at: number; answer: Promise<boolean> } | undefined;

/**
 * Whether PostgreSQL answers a trivial query within a short wait, on a connection of its own (a
 * busy pool says nothing about the database). Callers within a second share one probe.
 */
export function databaseAnswers(): Promise<boolean> {
  if (lastProbe && Date.now() - lastProbe.at < 1000) return lastProbe.answer;
  const client = new pg.Client({
    connectionString: settled("databaseUrl"),
    connectionTimeoutMillis: 2000,
    query_timeout: 2000,
  });
  client.on("error", () => {}); // a connection lost while probing is the answer, not a crash
  const answer = client
    .connect()
    .then(() => client.query("SELECT 1"))
    .then(
      () => true,
      () => false,
    )
    .finally(() => void client.end().catch(() => {}));
  lastProbe = { at: Date.now(), answer };
  return answer;
}

// In the Next.js worker, pages, actions and route handlers turn any error into a 500. Which of them
// were the database's doing is noted per request here (server/next-worker.ts starts the request's
// note, the pool marks it), and the worker answers those 503. Keyed on globalThis because Next's
// bundle and the worker each load their own copy of this module.
const NOTES = Symbol.for("wheelhouse.database-unavailable");
const shared = globalThis as { [NOTES]?: AsyncLocalStorage<{ unavailable: boolean }> };
const notes = (shared[NOTES] ??= new AsyncLocalStorage<{ unavailable: boolean }>());

/** Runs `work` (one request) with a note that says whether the database failed it. */
export function withUnavailabilityNote<T>(work: (note: { unavailable: boolean }) => T): T {
  const note = { unavailable: false };
  return notes.run(note, () => work(note));
}

/** Marks the current request as failed by the database, when `err` says so. */
export function noteIfUnavailable(err: unknown): void {
  const note = notes.getStore();
  if (note && isDatabaseUnavailable(err)) note.unavailable = true;
}

/** A pool whose failures to hand out a connection (database gone, or none free in time) are noted. */
export function notingPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  const connect = pool.connect.bind(pool) as (
    cb?: (err: Error | undefined, client?: pg.PoolClient, done?: (release?: unknown) => void) => void,
  ) => Promise<pg.PoolClient> | void;
  // pg-pool's own query() calls connect with a callback; Prisma's transactions call it for a promise.
  pool.connect = ((
    callback?: (err: Error | undefined, client?: pg.PoolClient, done?: (release?: unknown) => void) => void,
  ) => {
    if (callback) {
      return connect((err, client, done) => {
        if (err) noteIfUnavailable(err);
        callback(err, client, done);
      });
    }
    return (connect() as Promise<pg.PoolClient>).catch((err: unknown) => {
      noteIfUnavailable(err);
      throw err;
    });
  }) as typeof pool.connect;
  return pool;
}

// A database that does not answer (paused, gone, refusing) costs a bounded wait and is recognised as
// such, so the server answers 503 + Retry-After instead of hanging or answering 500 (issue 9, item
// 19). The pause is real: a TCP relay in front of the test database stops passing bytes, as a
// SIGSTOPped PostgreSQL does, while its connections stay open.
import net from "node:net";
import http from "node:http";
import { afterAll, beforeAll, expect, test } from "vitest";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import {
  isDatabaseUnavailable,
  notingPool,
  poolConfig,
  RETRY_AFTER_SECONDS,
  sendUnavailable,
  UNAVAILABLE_MESSAGE,
  withUnavailabilityNote,
} from "@/lib/db/availability";

/** A relay to the test database that can be paused: bytes are held (not refused) while paused. */
function pausableRelay(target: URL) {
  let paused = false;
  const sockets: net.Socket[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    client.pipe(upstream).pipe(client);
    for (const s of [client, upstream]) {
      sockets.push(s);
      s.on("error", () => {});
      if (paused) s.pause();
    }
  });
  return {
    listen: () =>
      new Promise<number>((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
      ),
    pause: () => ((paused = true), sockets.forEach((s) => s.pause())),
    resume: () => ((paused = false), sockets.forEach((s) => s.resume())),
    close: () => (sockets.forEach((s) => s.destroy()), new Promise((r) => server.close(r))),
  };
}

const target = new URL(process.env.DATABASE_URL!);
const relay = pausableRelay(target);
let url: string;

beforeAll(async () => {
  const viaRelay = new URL(target);
  viaRelay.port = String(await relay.listen());
  url = viaRelay.toString();
});
afterAll(() => relay.close());

test("a paused database ends a pooled query and a pool wait with an error recognised as unavailability", async () => {
  const pool = new pg.Pool(poolConfig(url, 1));
  pool.on("error", () => {});
  expect((await pool.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]); // connected, then paused
  relay.pause();
  try {
    const [running, queued] = await Promise.allSettled([pool.query("SELECT 2"), pool.query("SELECT 3")]);
    expect(running.status).toBe("rejected");
    expect(queued.status).toBe("rejected");
    expect(isDatabaseUnavailable((running as PromiseRejectedResult).reason)).toBe(true);
    expect(isDatabaseUnavailable((queued as PromiseRejectedResult).reason)).toBe(true);
    // A new connection (the pool's only one is busy or broken) times out as well.
    const fresh = new pg.Pool(poolConfig(url, 1));
    fresh.on("error", () => {});
    const failed = await fresh.query("SELECT 4").then(
      () => null,
      (err: unknown) => err,
    );
    expect(isDatabaseUnavailable(failed)).toBe(true);
    await fresh.end().catch(() => {});
  } finally {
    relay.resume();
  }
  // Once it answers again, so does the pool.
  await expect
    .poll(async () => (await pool.query("SELECT 5 AS five").catch(() => ({ rows: [] }))).rows)
    .toEqual([{ five: 5 }]);
  await pool.end();
});

test("Prisma's errors for a paused and for a refused database are recognised", async () => {
  const paused = new PrismaClient({ adapter: new PrismaPg(poolConfig(url, 1)) });
  await paused.$queryRaw`SELECT 1`;
  relay.pause();
  try {
    const err = await paused.user.findFirst().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isDatabaseUnavailable(err)).toBe(true);
  } finally {
    relay.resume();
  }
  await paused.$disconnect().catch(() => {});

  const refused = new URL(target);
  refused.port = "1";
  const gone = new PrismaClient({ adapter: new PrismaPg(poolConfig(refused.toString(), 1)) });
  expect(
    isDatabaseUnavailable(
      await gone.user.findFirst().then(
        () => null,
        (e: unknown) => e,
      ),
    ),
  ).toBe(true);
});

test("other database errors are not taken for unavailability", async () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    expect(
      isDatabaseUnavailable(
        await client.query("SELEC 1").then(
          () => null,
          (e: unknown) => e,
        ),
      ),
    ).toBe(false);
    expect(
      isDatabaseUnavailable(
        await client.query("SELECT 1/0").then(
          () => null,
          (e: unknown) => e,
        ),
      ),
    ).toBe(false);
  } finally {
    await client.end();
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(poolConfig(process.env.DATABASE_URL, 1)) });
  const missing = await prisma.user
    .update({ where: { id: "00000000-0000-0000-0000-000000000000" }, data: { username: "x" } })
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(missing).not.toBeNull();
  expect(isDatabaseUnavailable(missing)).toBe(false);
  await prisma.$disconnect();
  expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
});

test("the answer is a 503 with Retry-After and a plain message", async () => {
  const server = http.createServer((_req, res) => sendUnavailable(res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe(UNAVAILABLE_MESSAGE);
  } finally {
    server.close();
  }
});

test("a request that got no pool connection in time is noted as failed by the database, others not", async () => {
  const pool = notingPool(poolConfig(process.env.DATABASE_URL, 1));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const held = await pool.connect(); // the pool's only connection, busy elsewhere
  try {
    const starved = await withUnavailabilityNote(async (note) => {
      await prisma.user.findFirst().catch(() => {});
      return note;
    });
    expect(starved.unavailable).toBe(true);
  } finally {
    held.release();
  }
  const served = await withUnavailabilityNote(async (note) => {
    await prisma.user.findFirst();
    return note;
  });
  expect(served.unavailable).toBe(false);
  await prisma.$disconnect();
  await pool.end().catch(() => {});
});

test("a statement the pool gave up on stops in PostgreSQL; the server ends a transaction left open", async () => {
  const pool = new pg.Pool(poolConfig(process.env.DATABASE_URL, 1));
  pool.on("error", () => {});
  const marker = `wh-slow-${Date.now()}`;
  const failed = await pool.query(`SELECT pg_sleep(60), '${marker}'`).then(
    () => null,
    (e: unknown) => e,
  );
  expect(isDatabaseUnavailable(failed)).toBe(true); // answered 503 + Retry-After, as a paused database is
  const observer = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await observer.connect();
  try {
    const running = async () =>
      (
        await observer.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity " +
            "WHERE query LIKE $1 AND state = 'active' AND pid <> pg_backend_pid()",
          [`%${marker}%`],
        )
      ).rows[0].n;
    await expect.poll(running, { timeout: 2_000 }).toBe(0);
    // The pool's connection is still good for the next query.
    expect((await pool.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    const settings = await pool.query(
      "SELECT current_setting('idle_in_transaction_session_timeout') AS idle, " +
        "current_setting('statement_timeout') AS statement",
    );
    expect(settings.rows[0].idle).not.toBe("0");
    expect(settings.rows[0].statement).not.toBe("0");
  } finally {
    await observer.end();
    await pool.end();
  }
});

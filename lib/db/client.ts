// The process's one connection pool, shared by Prisma and the fast paths' plain SQL
// (server/fast/freshness.ts), and the Prisma client on top of it: both created on first use.
import "server-only";
import type pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { settled } from "@/lib/config";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { notingPool, poolConfig } from "./availability";

const shared = globalThis as unknown as { wheelhousePool?: pg.Pool; wheelhousePrisma?: PrismaClient };

/** Lazily created so that importing the data layer (e.g. during `next build`) needs no database. */
export function pool(): pg.Pool {
  if (!shared.wheelhousePool) {
    shared.wheelhousePool = notingPool(poolConfig(settled("databaseUrl"), 10));
    // An idle connection that breaks (the database restarts or shuts down) is dropped by the pool
    // and replaced on next use; unhandled, its error would end the process.
    shared.wheelhousePool.on("error", (err) => console.error(`wheelhouse: database connection lost: ${err.message}`));
  }
  return shared.wheelhousePool;
}

export function db(): PrismaClient {
  shared.wheelhousePrisma ??= new PrismaClient({ adapter: new PrismaPg(pool()) });
  return shared.wheelhousePrisma;
}

export { Prisma } from "@/lib/generated/prisma/client";

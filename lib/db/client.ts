// The Prisma client every server module shares: one pool per process, created on first use.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { notingPool, poolConfig } from "./availability";

const globalForPrisma = globalThis as unknown as { wheelhousePrisma?: PrismaClient };

function create(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start Wheelhouse with `npm run up` or `npm start`.");
  return new PrismaClient({ adapter: new PrismaPg(notingPool(poolConfig(url, 10))) });
}

/** Lazily created so that importing the data layer (e.g. during `next build`) needs no database. */
export function db(): PrismaClient {
  globalForPrisma.wheelhousePrisma ??= create();
  return globalForPrisma.wheelhousePrisma;
}

export { Prisma } from "@/lib/generated/prisma/client";

// Prisma 6's CLI with its bundled WASM schema engine, driven through a pg adapter. Used only to turn
// datamodels into migration SQL (scripts/new-migration.sh, and the schema test).
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "../../prisma/schema.prisma",
  async adapter() {
    const connectionString = process.env.MIGRATE_DATABASE_URL;
    if (!connectionString) throw new Error("MIGRATE_DATABASE_URL is not set");
    return new PrismaPg({ connectionString });
  },
});

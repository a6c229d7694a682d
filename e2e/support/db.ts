// Direct SQL on the end-to-end server's database, for setting up what only time could otherwise
// produce (an expired token) and for checking that refused requests left nothing behind.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { E2E } from "./env";

export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const password = fs.readFileSync(path.join(E2E.dataDir, "postgres-password"), "utf8").trim();
  const client = new pg.Client({
    connectionString: `postgresql://postgres:${password}@127.0.0.1:${E2E.pgPort}/wheelhouse`,
  });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Every stored blob and leftover temporary file under the e2e data directory. */
export function storedFiles(): { blobs: string[]; temporary: string[] } {
  const root = path.join(E2E.dataDir, "files");
  const blobs: string[] = [];
  const temporary: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else (full.includes(`${path.sep}.tmp${path.sep}`) ? temporary : blobs).push(full);
    }
  };
  walk(root);
  return { blobs: blobs.sort(), temporary };
}

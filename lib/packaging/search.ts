// Project search over name, summary and keywords: every word must appear (trigram-indexed ILIKE on
// search_text), exact and prefix name matches rank first, then similarity, then recency.
import "server-only";
import { db, Prisma } from "@/lib/db/client";
import { normalizeName } from "./names";

export const RESULTS_PER_PAGE = 20;

export interface SearchHit {
  name: string;
  normalizedName: string;
  version: string | null;
  summary: string | null;
  updatedAt: Date;
}

export interface SearchPage {
  hits: SearchHit[];
  total: number;
  page: number;
  pages: number;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function searchProjects(input: { q: string; classifiers?: string[]; page?: number }): Promise<SearchPage> {
  const q = input.q.trim().toLowerCase().slice(0, 200);
  const terms = q.split(/\s+/).filter(Boolean).slice(0, 8);
  const classifiers = (input.classifiers ?? []).filter(Boolean).slice(0, 10);
  const page = Math.max(1, Math.min(input.page ?? 1, 500));
  const nq = normalizeName(q);

  const conditions: Prisma.Sql[] = [Prisma.sql`latest_version IS NOT NULL`];
  for (const term of terms) conditions.push(Prisma.sql`search_text ILIKE ${`%${likeEscape(term)}%`}`);
  if (classifiers.length) conditions.push(Prisma.sql`classifiers @> ${classifiers}::text[]`);
  const where = Prisma.join(conditions, " AND ");

  const score = terms.length
    ? Prisma.sql`(CASE WHEN normalized_name = ${nq} THEN 1000 WHEN normalized_name LIKE ${`${likeEscape(nq)}%`} THEN 500 ELSE 0 END)
        + similarity(search_text, ${q}) * 100`
    : Prisma.sql`0::real`; // a bare 0 would be read as "ORDER BY column 0"
  const [rows, count] = await Promise.all([
    db().$queryRaw<{ name: string; normalized_name: string; latest_version: string | null; summary: string | null; updated_at: Date }[]>`
      SELECT name, normalized_name, latest_version, summary, updated_at
      FROM projects WHERE ${where}
      ORDER BY ${score} DESC, updated_at DESC
      LIMIT ${RESULTS_PER_PAGE} OFFSET ${(page - 1) * RESULTS_PER_PAGE}`,
    db().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM projects WHERE ${where}`,
  ]);
  const total = Number(count[0]?.n ?? 0);
  return {
    hits: rows.map((r) => ({ name: r.name, normalizedName: r.normalized_name, version: r.latest_version, summary: r.summary, updatedAt: r.updated_at })),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / RESULTS_PER_PAGE)),
  };
}

/** The classifiers in use, most common first, for the search page's filter. */
export async function popularClassifiers(limit = 40): Promise<{ classifier: string; count: number }[]> {
  const rows = await db().$queryRaw<{ classifier: string; n: bigint }[]>`
    SELECT c AS classifier, count(*) AS n FROM projects, unnest(classifiers) AS c
    GROUP BY c ORDER BY n DESC, c LIMIT ${limit}`;
  return rows.map((r) => ({ classifier: r.classifier, count: Number(r.n) }));
}

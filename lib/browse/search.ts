// Project search: full-text over the words of name, summary and keywords (projects.search_vector,
// GIN-indexed, kept by a trigger), every query word matching as a prefix; a one-word query of three
// or more characters also finds names containing it ("frame" finds "tidyframe", through the
// trigram index on normalized_name). Up to RANKED_MAX matches are ranked: the exact name first,
// then ts_rank (name words weigh most), then recency. A broader query (a common word at 100k
// projects) cannot be ranked within a page view's budget: it shows the exact name first, then the
// most recently updated matches, and a count of "1,000+". Sorting by name or date works at any size
// (each has an index to walk).
import "server-only";
import { db, Prisma } from "@/lib/db/client";
import { normalizeName } from "../packaging/names";

export const RESULTS_PER_PAGE = 20;
export const RANKED_MAX = 1000;
export const SORTS = ["relevance", "name", "date"] as const;
export type SearchSort = (typeof SORTS)[number];
/** How many classifiers the filter lists. */
const FACETS = 40;

export interface SearchHit {
  name: string;
  normalizedName: string;
  version: string | null;
  summary: string | null;
  updatedAt: Date;
}

export interface SearchPage {
  hits: SearchHit[];
  /** Matches counted, up to RANKED_MAX + 1; `more` says there are more than RANKED_MAX. */
  total: number;
  more: boolean;
  page: number;
  pages: number;
  /**
   * Classifiers among this query's matches, most common first, with how many matches carry each;
   * null when the matches are too many to count within a page view (more than RANKED_MAX).
   */
  facets: { classifier: string; count: number }[] | null;
}

type Row = {
  name: string;
  normalized_name: string;
  latest_version: string | null;
  summary: string | null;
  updated_at: Date;
};

// The query's words, split exactly as the trigger splits the documents (same regular expression,
// in PostgreSQL), each matching as a prefix: "flask-log" finds "flask_login".
const tsquery = (q: string) => Prisma.sql`(
  SELECT to_tsquery('simple', string_agg(quote_literal(w) || ':*', ' & '))
  FROM (SELECT w FROM unnest(regexp_split_to_array(trim(regexp_replace(${q}, '[^[:alnum:]]+', ' ', 'g')), ' ')) AS w
        WHERE w <> '' LIMIT 8) AS words)`;

/** The name fragment a one-word query also matches inside names, as a LIKE pattern; null if none. */
function namePattern(q: string, nq: string): string | null {
  if (/\s/.test(q) || nq.replace(/[^a-z0-9]/g, "").length < 3) return null;
  return `%${nq.replace(/[\\%_]/g, "\\$&")}%`;
}

export async function searchProjects(input: {
  q: string;
  classifiers?: string[];
  page?: number;
  sort?: SearchSort;
}): Promise<SearchPage> {
  const q = input.q.trim().toLowerCase().slice(0, 200);
  const hasWords = /[\p{L}\p{N}]/u.test(q);
  const classifiers = (input.classifiers ?? []).filter(Boolean).slice(0, 10);
  const sort = input.sort ?? "relevance";
  const nq = normalizeName(q);
  const fragment = hasWords ? namePattern(q, nq) : null;

  const conditions: Prisma.Sql[] = [Prisma.sql`latest_version IS NOT NULL`];
  if (hasWords) {
    conditions.push(
      fragment
        ? Prisma.sql`(search_vector @@ ${tsquery(q)} OR normalized_name LIKE ${fragment})`
        : Prisma.sql`search_vector @@ ${tsquery(q)}`,
    );
  }
  if (classifiers.length) conditions.push(Prisma.sql`classifiers @> ${classifiers}::text[]`);
  const where = Prisma.join(conditions, " AND ");
  const select = Prisma.sql`SELECT name, normalized_name, latest_version, summary, updated_at FROM projects`;

  const [{ n }] = await db().$queryRaw<[{ n: bigint }]>`
    SELECT count(*) AS n FROM (SELECT 1 FROM projects WHERE ${where} LIMIT ${RANKED_MAX + 1}) AS capped`;
  const total = Number(n);
  const more = total > RANKED_MAX;
  const pages = Math.max(1, Math.ceil(Math.min(total, RANKED_MAX) / RESULTS_PER_PAGE));
  const page = Math.max(1, Math.min(input.page ?? 1, pages));
  const offset = (page - 1) * RESULTS_PER_PAGE;

  const readRows = async (): Promise<Row[]> => {
    let rows: Row[];
    if (sort === "name" || sort === "date" || !hasWords) {
      const order = sort === "name" ? Prisma.sql`normalized_name` : Prisma.sql`updated_at DESC`;
      // Few matches: fetch them all through the search indexes, then sort. Walking the name or date
      // index instead (PostgreSQL's choice) would read most of the table to find them.
      rows = more
        ? await db().$queryRaw<
            Row[]
          >`${select} WHERE ${where} ORDER BY ${order} LIMIT ${RESULTS_PER_PAGE} OFFSET ${offset}`
        : await db().$queryRaw<Row[]>`
            WITH matches AS MATERIALIZED (${select} WHERE ${where})
            SELECT * FROM matches ORDER BY ${order} LIMIT ${RESULTS_PER_PAGE} OFFSET ${offset}`;
    } else if (!more) {
      rows = await db().$queryRaw<Row[]>`
        ${select} WHERE ${where}
        ORDER BY normalized_name = ${nq} DESC, ts_rank(search_vector, ${tsquery(q)}) DESC, updated_at DESC
        LIMIT ${RESULTS_PER_PAGE} OFFSET ${offset}`;
    } else {
      // Recent matches come from the updated_at index, stopping after one page; the exact name (a
      // unique-index lookup) leads the first page and shifts the others by one. Both are read at
      // once: one row past the page covers the shift.
      const [[exact], recent] = await Promise.all([
        db().$queryRaw<Row[]>`${select} WHERE ${where} AND normalized_name = ${nq}`,
        db().$queryRaw<Row[]>`
          ${select} WHERE ${where} AND normalized_name <> ${nq} ORDER BY updated_at DESC
          LIMIT ${RESULTS_PER_PAGE + 1} OFFSET ${Math.max(0, offset - 1)}`,
      ]);
      // Without an exact match page p starts at offset; with one, at offset - 1 (the first page at 0).
      const start = exact || offset === 0 ? 0 : 1;
      rows =
        page === 1 && exact
          ? [exact, ...recent.slice(0, RESULTS_PER_PAGE - 1)]
          : recent.slice(start, start + RESULTS_PER_PAGE);
    }
    return rows;
  };
  // The filter's counts, for this query's matches (read alongside the page's rows).
  const readFacets = async (): Promise<SearchPage["facets"]> => {
    if (!hasWords && classifiers.length === 0) return popularClassifiers();
    if (more) return null;
    // At most RANKED_MAX matching rows: unnesting their classifiers is cheap.
    const counted = await db().$queryRaw<{ classifier: string; n: bigint }[]>`
      SELECT c AS classifier, count(*) AS n FROM projects, unnest(classifiers) AS c WHERE ${where}
      GROUP BY c ORDER BY n DESC, c LIMIT ${FACETS}`;
    return counted.map((r) => ({ classifier: r.classifier, count: Number(r.n) }));
  };
  const [rows, facets] = await Promise.all([readRows(), readFacets()]);
  return {
    hits: rows.map((r) => ({
      name: r.name,
      normalizedName: r.normalized_name,
      version: r.latest_version,
      summary: r.summary,
      updatedAt: r.updated_at,
    })),
    total: Math.min(total, RANKED_MAX),
    more,
    page,
    pages,
    facets,
  };
}

/** The classifiers in use, most common first, for the search page's filter (counts kept by triggers). */
export async function popularClassifiers(limit = FACETS): Promise<{ classifier: string; count: number }[]> {
  const rows = await db().classifierCount.findMany({
    orderBy: [{ projects: "desc" }, { classifier: "asc" }],
    take: limit,
  });
  return rows.map((r) => ({ classifier: r.classifier, count: r.projects }));
}

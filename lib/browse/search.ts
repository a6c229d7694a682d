// Project search: full-text over the words of name, summary and keywords (projects.search_vector,
// GIN-indexed, kept by a trigger), every query word matching as a prefix; a one-word query of three
// or more characters also finds names containing it ("frame" finds "tidyframe", through the
// trigram index on normalized_name). Up to RANKED_MAX matches are ranked: the exact name first,
// then ts_rank (name words weigh most), then recency. A broader query (a common word at 100k
// projects) cannot be ranked within a page view's budget: it shows the exact name first, then the
// most recently updated matches, and a count of "1,000+". Sorting by name or date works at any size
// (each has an index to walk).
import "server-only";
import { db, pool, Prisma } from "@/lib/db/client";
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
   * Classifiers among this query's matches, most common first, with how many matches carry each.
   * When the matches are too many to count within a page view (more than RANKED_MAX), the popular
   * classifiers of the whole index, with a null count.
   */
  facets: { classifier: string; count: number | null }[];
}

type Row = {
  name: string;
  normalized_name: string;
  latest_version: string | null;
  summary: string | null;
  /** An ISO timestamp: rows arrive as JSON. */
  updated_at: string;
  /** On the capped path: whether this row is the exact name. */
  exact?: boolean;
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

const COLUMNS = Prisma.sql`name, normalized_name, latest_version, summary, updated_at`;

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
    const words = Prisma.sql`search_vector @@ (SELECT query FROM words)`;
    conditions.push(fragment ? Prisma.sql`(${words} OR normalized_name LIKE ${fragment})` : words);
  }
  if (classifiers.length) conditions.push(Prisma.sql`classifiers @> ${classifiers}::text[]`);
  const where = Prisma.join(conditions, " AND ");

  // One statement, one round trip, one walk of the search indexes: the first RANKED_MAX + 1
  // matches are read once (capped) and give the count, the page (sorted in memory) and the
  // filter's counts. Only a broader query reads again, along an index that stops after one page:
  // the name or date index, or for relevance the exact name (a unique-index lookup) and the most
  // recent matches, one row past the page to cover the exact name's shift.
  const rank = Prisma.sql`ts_rank(search_vector, (SELECT query FROM words))`;
  const statement = (offset: number) => {
    const order =
      sort === "name"
        ? Prisma.sql`normalized_name`
        : sort === "date" || !hasWords
          ? Prisma.sql`updated_at DESC`
          : Prisma.sql`normalized_name = ${nq} DESC, ${rank} DESC, updated_at DESC`;
    const broad =
      sort === "relevance" && hasWords
        ? Prisma.sql`(SELECT ${COLUMNS}, true AS exact FROM projects WHERE ${where} AND normalized_name = ${nq})
            UNION ALL
            (SELECT ${COLUMNS}, false FROM projects WHERE ${where} AND normalized_name <> ${nq}
             ORDER BY updated_at DESC LIMIT ${RESULTS_PER_PAGE + 1} OFFSET ${Math.max(0, offset - 1)})`
        : Prisma.sql`SELECT ${COLUMNS} FROM projects WHERE ${where}
            ORDER BY ${order} LIMIT ${RESULTS_PER_PAGE} OFFSET ${offset}`;
    return Prisma.sql`
      WITH words AS MATERIALIZED (SELECT ${hasWords ? tsquery(q) : Prisma.sql`NULL::tsquery`} AS query),
      capped AS MATERIALIZED (
        SELECT ${COLUMNS}, classifiers, search_vector FROM projects WHERE ${where} LIMIT ${RANKED_MAX + 1}),
      counted AS MATERIALIZED (SELECT count(*)::int AS n FROM capped)
      SELECT
        (SELECT n FROM counted) AS n,
        CASE WHEN (SELECT n FROM counted) <= ${RANKED_MAX}
          THEN (SELECT json_agg(r) FROM (SELECT ${COLUMNS} FROM capped
                ORDER BY ${order} LIMIT ${RESULTS_PER_PAGE} OFFSET ${offset}) AS r)
          ELSE (SELECT json_agg(r) FROM (${broad}) AS r)
        END AS rows,
        CASE WHEN (SELECT n FROM counted) <= ${RANKED_MAX} AND ${hasWords || classifiers.length > 0}
          THEN (SELECT json_agg(f) FROM (SELECT c AS classifier, count(*)::int AS count
                FROM capped, unnest(classifiers) AS c GROUP BY c ORDER BY 2 DESC, c LIMIT ${FACETS}) AS f)
          ELSE (SELECT json_agg(f) FROM (SELECT classifier, projects AS count FROM classifier_counts
                ORDER BY projects DESC, classifier LIMIT ${FACETS}) AS f)
        END AS facets`;
  };
  type Result = { n: number; rows: Row[] | null; facets: { classifier: string; count: number }[] | null };
  const read = async (offset: number) => {
    const sql = statement(offset);
    return (await pool().query<Result>(sql.text, sql.values)).rows[0]!;
  };

  const requested = Math.max(1, input.page ?? 1);
  let result = await read((requested - 1) * RESULTS_PER_PAGE);
  const total = result.n;
  const more = total > RANKED_MAX;
  const pages = Math.max(1, Math.ceil(Math.min(total, RANKED_MAX) / RESULTS_PER_PAGE));
  // A page past the last one shows the last one (read again: rare, and only then).
  const page = Math.min(requested, pages);
  if (page !== requested) result = await read((page - 1) * RESULTS_PER_PAGE);
  const offset = (page - 1) * RESULTS_PER_PAGE;

  let rows = result.rows ?? [];
  if (more && sort === "relevance" && hasWords) {
    const exact = rows.find((r) => r.exact);
    const recent = rows.filter((r) => !r.exact);
    // Without an exact match page p starts at offset; with one, at offset - 1 (the first page at 0).
    const start = exact || offset === 0 ? 0 : 1;
    rows =
      page === 1 && exact
        ? [exact, ...recent.slice(0, RESULTS_PER_PAGE - 1)]
        : recent.slice(start, start + RESULTS_PER_PAGE);
  }
  // Too many matches to count among: the filter lists the popular classifiers, without numbers
  // unless every project matches (no words, no filter), when the index-wide counts are the answer.
  const uncounted = more && (hasWords || classifiers.length > 0);
  const facets = (result.facets ?? []).map((f) => ({ classifier: f.classifier, count: uncounted ? null : f.count }));
  return {
    hits: rows.map((r) => ({
      name: r.name,
      normalizedName: r.normalized_name,
      version: r.latest_version,
      summary: r.summary,
      updatedAt: new Date(r.updated_at),
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

// Reading an event log a page at a time, newest first: the account's security history and a
// project's journal page through their rows the same way.

/** The page a history page was asked for (`?page=N`), 1 when absent or not a sensible page number. */
export function requestedPage(value: unknown): number {
  const page = Number(value);
  return Number.isInteger(page) && page > 0 && page < 100_000 ? page : 1;
}

/** Query arguments for page `page` (from 1): one row more than a page, to tell whether older ones follow. */
export function newestFirst(page: number, perPage: number) {
  return { orderBy: { id: "desc" as const }, skip: (Math.max(1, page) - 1) * perPage, take: perPage + 1 };
}

/** The rows of a `newestFirst` query as a page of views, and whether older ones follow. */
export function pageOf<R, V>(rows: R[], perPage: number, view: (row: R) => V): { events: V[]; hasMore: boolean } {
  return { events: rows.slice(0, perPage).map(view), hasMore: rows.length > perPage };
}

import Link from "next/link";

/** Newer / older links under a history table (`?page=N`, newest first). */
export function HistoryPagination({ path, page, hasMore }: { path: string; page: number; hasMore: boolean }) {
  return (
    <nav className="pagination" aria-label="Pages">
      {page > 1 ? <Link href={`${path}?page=${page - 1}`}>← Newer</Link> : <span />}
      {hasMore ? <Link href={`${path}?page=${page + 1}`}>Older →</Link> : <span />}
    </nav>
  );
}

import type { Metadata } from "next";
import { popularClassifiers, RESULTS_PER_PAGE, searchProjects } from "@/lib/packaging/search";
import { ClassifierFilter } from "@/components/browse/classifier-filter";
import { SearchPagination } from "@/components/browse/search-pagination";
import { SearchResultList } from "@/components/browse/search-result-list";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const MAX_QUERY = 200;
const MAX_CLASSIFIERS = 10;

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

function parseParams(params: Record<string, string | string[] | undefined>) {
  const q = first(params.q).trim().slice(0, MAX_QUERY);
  const raw = params.c;
  const classifiers = [...new Set((Array.isArray(raw) ? raw : raw ? [raw] : []).map((c) => c.trim()).filter(Boolean))]
    .slice(0, MAX_CLASSIFIERS);
  const pageText = first(params.page);
  const parsed = /^\d{1,6}$/.test(pageText) ? Number(pageText) : 1;
  return { q, classifiers, page: parsed >= 1 ? parsed : 1 };
}

export async function generateMetadata({ searchParams }: { searchParams: SearchParams }): Promise<Metadata> {
  const { q } = parseParams(await searchParams);
  return { title: q ? `Search results for “${q}”` : "Search projects", robots: { index: false } };
}

export default async function SearchPage({ searchParams }: { searchParams: SearchParams }) {
  const { q, classifiers, page } = parseParams(await searchParams);
  // A page past the last one shows the last one (searchProjects clamps it).
  const [results, popular] = await Promise.all([searchProjects({ q, classifiers, page }), popularClassifiers()]);
  const from = (results.page - 1) * RESULTS_PER_PAGE + 1;
  const count = `${results.total.toLocaleString("en-US")}${results.more ? "+" : ""} ${results.total === 1 && !results.more ? "project" : "projects"}`;
  return (
    <>
      <h1>{q ? <>Search results for “{q}”</> : "Search projects"}</h1>
      <form action="/search" method="get" role="search" className="search-bar">
        <label htmlFor="search-q" className="skip-link">Search projects</label>
        <input id="search-q" type="search" name="q" defaultValue={q} placeholder="Search projects" maxLength={MAX_QUERY} />
        {classifiers.map((c) => (
          <input key={c} type="hidden" name="c" value={c} />
        ))}
        <button type="submit" className="button">Search</button>
      </form>
      <div className="search-layout">
        <section className="search-main" aria-labelledby="results-h">
          <h2 id="results-h" className="skip-link">Results</h2>
          <p className="muted" data-testid="search-total">
            {count}
            {results.pages > 1 && ` (showing ${from}–${from + results.hits.length - 1})`}
            {classifiers.length > 0 && <> · filtered by {classifiers.map((c, i) => <span key={c}>{i > 0 && ", "}<code>{c}</code></span>)}</>}
          </p>
          <SearchResultList hits={results.hits} q={q} filtered={classifiers.length > 0} />
          <SearchPagination q={q} classifiers={classifiers} page={results.page} pages={results.pages} />
        </section>
        <aside className="search-sidebar card">
          <ClassifierFilter q={q} selected={classifiers} popular={popular} />
        </aside>
      </div>
    </>
  );
}

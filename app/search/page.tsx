import type { Metadata } from "next";
import { RESULTS_PER_PAGE, searchProjects, SORTS, type SearchSort } from "@/lib/browse/search";
import { ClassifierFilter } from "@/components/browse/classifier-filter";
import { SearchPagination } from "@/components/browse/search-pagination";
import { SearchResultList } from "@/components/browse/search-result-list";
import { SearchSortForm } from "@/components/browse/search-sort";

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
  const classifiers = [
    ...new Set((Array.isArray(raw) ? raw : raw ? [raw] : []).map((c) => c.trim()).filter(Boolean)),
  ].slice(0, MAX_CLASSIFIERS);
  const pageText = first(params.page);
  const parsed = /^\d{1,6}$/.test(pageText) ? Number(pageText) : 1;
  const sortText = first(params.o);
  const sort: SearchSort = (SORTS as readonly string[]).includes(sortText) ? (sortText as SearchSort) : "relevance";
  return { q, classifiers, page: parsed >= 1 ? parsed : 1, sort };
}

export async function generateMetadata({ searchParams }: { searchParams: SearchParams }): Promise<Metadata> {
  const { q } = parseParams(await searchParams);
  return { title: q ? `Search results for “${q}”` : "Search projects", robots: { index: false } };
}

export default async function SearchPage({ searchParams }: { searchParams: SearchParams }) {
  const { q, classifiers, page, sort } = parseParams(await searchParams);
  // A page past the last one shows the last one (searchProjects clamps it).
  const results = await searchProjects({ q, classifiers, page, sort });
  const from = (results.page - 1) * RESULTS_PER_PAGE + 1;
  const noun = results.total === 1 && !results.more ? "project" : "projects";
  const count = `${results.total.toLocaleString("en-US")}${results.more ? "+" : ""} ${noun}`;
  return (
    <>
      <h1>{q ? <>Search results for “{q}”</> : "Search projects"}</h1>
      <form action="/search" method="get" role="search" className="search-bar">
        <label htmlFor="search-q" className="skip-link">
          Search projects
        </label>
        <input
          id="search-q"
          type="search"
          name="q"
          defaultValue={q}
          placeholder="Search projects"
          maxLength={MAX_QUERY}
        />
        {classifiers.map((c) => (
          <input key={c} type="hidden" name="c" value={c} />
        ))}
        {sort !== "relevance" && <input type="hidden" name="o" value={sort} />}
        <button type="submit" className="button">
          Search
        </button>
      </form>
      <div className="search-layout">
        <section className="search-main" aria-labelledby="results-h">
          <h2 id="results-h" className="skip-link">
            Results
          </h2>
          <SearchSortForm q={q} classifiers={classifiers} sort={sort} />
          <p className="muted" data-testid="search-total">
            {count}
            {results.pages > 1 && ` (showing ${from}–${from + results.hits.length - 1})`}
            {classifiers.length > 0 && (
              <>
                {" "}
                · filtered by{" "}
                {classifiers.map((c, i) => (
                  <span key={c}>
                    {i > 0 && ", "}
                    <code>{c}</code>
                  </span>
                ))}
              </>
            )}
          </p>
          <SearchResultList hits={results.hits} q={q} filtered={classifiers.length > 0} />
          <SearchPagination q={q} classifiers={classifiers} sort={sort} page={results.page} pages={results.pages} />
        </section>
        <aside className="search-sidebar card">
          <ClassifierFilter q={q} sort={sort} selected={classifiers} options={results.facets} />
        </aside>
      </div>
    </>
  );
}

// Search against a real database: word-prefix matching over name, summary and keywords, the exact
// name first, name words above summary words, classifier filters and their counts, and the capped
// path for queries too broad to rank. Other test files share the database, so every project here
// carries a word of its own (`tag`) and each query includes it.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { popularClassifiers, RANKED_MAX, RESULTS_PER_PAGE, searchProjects } from "@/lib/browse/search";

const word = () => `zq${crypto.randomBytes(4).toString("hex").replace(/[lio]/g, "x")}`;

interface Seed {
  name: string;
  summary?: string;
  keywords?: string[];
  classifiers?: string[];
  age?: number;
}

async function insert(projects: Seed[]): Promise<void> {
  for (const p of projects) {
    await db().$executeRaw`
      INSERT INTO projects (id, name, normalized_name, confusable_key, latest_version, summary, keywords, classifiers,
                            updated_at)
      VALUES (gen_random_uuid(), ${p.name}, ${p.name}, ${p.name.replace(/[-_.]/g, "")}, '1.0', ${p.summary ?? null},
              ${p.keywords ?? []}::text[], ${p.classifiers ?? []}::text[],
              now() - make_interval(secs => ${p.age ?? 0}))`;
  }
}

const names = (page: { hits: { name: string }[] }) => page.hits.map((h) => h.name);

describe("search", () => {
  it("matches every word as a prefix of a word in the name, summary or keywords", async () => {
    const tag = word();
    await insert([
      { name: `${tag}-flask-login`, summary: "Sessions for web apps" },
      { name: `${tag}-other`, summary: "Nothing about flasks here", keywords: ["auth"] },
      { name: `${tag}-unrelated`, summary: "Plain" },
    ]);
    expect(names(await searchProjects({ q: `${tag} flask-log` }))).toEqual([`${tag}-flask-login`]);
    expect(names(await searchProjects({ q: `${tag} FLASK` })).sort()).toEqual(
      [`${tag}-flask-login`, `${tag}-other`].sort(),
    );
    expect(names(await searchProjects({ q: `${tag} auth` }))).toEqual([`${tag}-other`]);
    expect(names(await searchProjects({ q: `${tag} sess.web` }))).toEqual([`${tag}-flask-login`]);
    expect((await searchProjects({ q: `${tag} nosuchword` })).total).toBe(0);
  });

  it("puts the exact name first, then name words above summary words", async () => {
    const tag = word();
    await insert([
      { name: `${tag}-widgets-extra`, age: 0 },
      { name: `${tag}-gadget`, summary: `Works with ${tag} widgets`, age: 0 },
      { name: `${tag}-widgets`, age: 100 },
    ]);
    const page = await searchProjects({ q: `${tag}-widgets` });
    expect(names(page)).toEqual([`${tag}-widgets`, `${tag}-widgets-extra`, `${tag}-gadget`]);
    expect(page).toMatchObject({ total: 3, more: false, pages: 1 });
  });

  it("filters by classifier and counts each classifier's projects as projects change", async () => {
    const tag = word();
    const web = `Topic :: ${tag} :: Web`;
    const cli = `Topic :: ${tag} :: CLI`;
    const count = async (c: string) => (await popularClassifiers(1000)).find((p) => p.classifier === c)?.count ?? 0;
    await insert([
      { name: `${tag}-a`, classifiers: [web] },
      { name: `${tag}-b`, classifiers: [web, cli] },
      { name: `${tag}-c`, classifiers: [cli] },
    ]);
    expect(await count(web)).toBe(2);
    expect(await count(cli)).toBe(2);
    expect(names(await searchProjects({ q: tag, classifiers: [web, cli] }))).toEqual([`${tag}-b`]);

    await db().$executeRaw`UPDATE projects SET classifiers = ${[cli]}::text[] WHERE name = ${`${tag}-a`}`;
    expect(await count(web)).toBe(1);
    expect(await count(cli)).toBe(3);
    await db().$executeRaw`DELETE FROM projects WHERE name LIKE ${`${tag}-%`}`;
    expect(await count(web)).toBe(0);
    expect(await count(cli)).toBe(0);
  });

  it("answers a query matching more than it can rank with a capped count, exact name first, then newest", async () => {
    const tag = word();
    await db().$executeRaw`
      INSERT INTO projects (id, name, normalized_name, confusable_key, latest_version, summary, keywords, classifiers,
                            updated_at)
      SELECT gen_random_uuid(), ${tag} || '-' || i, ${tag} || '-' || i, ${tag} || i, '1.0', 'Bulk', ARRAY[${tag}], '{}',
             now() - make_interval(secs => i)
      FROM generate_series(1, ${RANKED_MAX + 5}::int) AS i`;
    await insert([{ name: tag, summary: "The one with the exact name", age: 100_000 }]);

    const first = await searchProjects({ q: tag });
    expect(first).toMatchObject({ total: RANKED_MAX, more: true, page: 1, pages: RANKED_MAX / RESULTS_PER_PAGE });
    expect(names(first)).toEqual([tag, ...Array.from({ length: RESULTS_PER_PAGE - 1 }, (_, i) => `${tag}-${i + 1}`)]);
    // Too many to count the filter's classifiers among: it offers the index's popular ones, unnumbered.
    expect(first.facets.map((f) => f.classifier)).toEqual((await popularClassifiers()).map((p) => p.classifier));
    expect(first.facets.every((f) => f.count === null)).toBe(true);
    const second = await searchProjects({ q: tag, page: 2 });
    expect(names(second)[0]).toBe(`${tag}-${RESULTS_PER_PAGE}`);
    expect(second.hits).toHaveLength(RESULTS_PER_PAGE);
    // Past the last page: the last page.
    expect((await searchProjects({ q: tag, page: 9999 })).page).toBe(RANKED_MAX / RESULTS_PER_PAGE);
    await db().$executeRaw`DELETE FROM projects WHERE name = ${tag} OR name LIKE ${`${tag}-%`}`;
  });

  it("finds a fragment inside a name, after the word matches", async () => {
    const tag = word();
    await insert([
      { name: `tidy${tag}frame`, age: 0 },
      { name: `${tag}frame-tools`, summary: "Starts with the fragment", age: 50 },
      { name: `${tag}-other`, summary: "Mentions nothing", age: 0 },
    ]);
    // The fragment is inside the first name's only word, at the start of the second's.
    expect(names(await searchProjects({ q: `${tag}frame` }))).toEqual([`${tag}frame-tools`, `tidy${tag}frame`]);
    expect(names(await searchProjects({ q: `y${tag}fr` }))).toEqual([`tidy${tag}frame`]);
    // Two letters are too short to mean a fragment (and would match half the index).
    expect((await searchProjects({ q: "fr" })).hits.map((h) => h.name)).not.toContain(`tidy${tag}frame`);
    // A pattern character is matched literally, never as a wildcard.
    expect((await searchProjects({ q: `${tag}%ols` })).total).toBe(0);
    await db().$executeRaw`DELETE FROM projects WHERE name LIKE ${`%${tag}%`}`;
  });

  it("sorts by relevance, name or date", async () => {
    const tag = word();
    await insert([
      { name: `${tag}-b`, summary: `all about ${tag}`, age: 10 },
      { name: `${tag}-c`, summary: "newest", age: 0 },
      { name: `${tag}-a`, summary: "oldest", age: 20 },
      { name: tag, summary: "the exact name", age: 30 },
    ]);
    expect(names(await searchProjects({ q: tag }))[0]).toBe(tag);
    expect(names(await searchProjects({ q: tag, sort: "name" }))).toEqual([tag, `${tag}-a`, `${tag}-b`, `${tag}-c`]);
    expect(names(await searchProjects({ q: tag, sort: "date" }))).toEqual([`${tag}-c`, `${tag}-b`, `${tag}-a`, tag]);
    await db().$executeRaw`DELETE FROM projects WHERE name = ${tag} OR name LIKE ${`${tag}-%`}`;
  });

  it("counts the filter's classifiers among the current results, not the whole index", async () => {
    const tag = word();
    const web = `Topic :: ${tag} :: Web`;
    const cli = `Topic :: ${tag} :: CLI`;
    await insert([
      { name: `${tag}-web`, summary: "server", classifiers: [web] },
      { name: `${tag}-both`, summary: "server", classifiers: [web, cli] },
      { name: `${tag}-cli`, summary: "terminal", classifiers: [cli] },
    ]);
    const facets = async (q: string, classifiers: string[] = []) =>
      Object.fromEntries((await searchProjects({ q, classifiers })).facets.map((f) => [f.classifier, f.count]));
    expect(await facets(`${tag} server`)).toEqual({ [web]: 2, [cli]: 1 });
    expect(await facets(`${tag} terminal`)).toEqual({ [cli]: 1 });
    expect(await facets(`${tag}`, [cli])).toEqual({ [web]: 1, [cli]: 2 });
    expect(await facets(`${tag} nothing`)).toEqual({});
    await db().$executeRaw`DELETE FROM projects WHERE name LIKE ${`${tag}-%`}`;
  });
});

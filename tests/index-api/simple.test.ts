import { describe, expect, it } from "vitest";
import {
  API_VERSION,
  SIMPLE_VARY,
  absoluteUrl,
  etagFor,
  formatUploadTime,
  matchesIfNoneMatch,
  negotiate,
  renderIndexHtml,
  renderIndexHtmlChunks,
  renderIndexJson,
  renderIndexJsonChunks,
  renderProjectHtml,
  renderProjectJson,
  type SimpleIndexEntry,
} from "@/lib/index-api/simple";
import type { IndexFile, IndexProject } from "@/lib/index-api/types";

const SHA_WHEEL = "a".repeat(64);
const SHA_SDIST = "b".repeat(64);
const SHA_META = "c".repeat(64);

function file(overrides: Partial<IndexFile> = {}): IndexFile {
  return {
    filename: "sample_project-1.0-py3-none-any.whl",
    url: `/packages/aa/aa/${"a".repeat(60)}/sample_project-1.0-py3-none-any.whl`,
    version: "1.0",
    packagetype: "bdist_wheel",
    pythonVersion: "py3",
    requiresPython: ">=3.8",
    size: 1234,
    sha256: SHA_WHEEL,
    md5: "d".repeat(32),
    blake2b256: "e".repeat(64),
    uploadedAt: new Date("2024-01-02T03:04:05.123Z"),
    yanked: false,
    metadataSha256: SHA_META,
    ...overrides,
  };
}

const WHEEL = file();
const SDIST = file({
  filename: "sample_project-1.0.tar.gz",
  url: "/packages/bb/bb/sample_project-1.0.tar.gz",
  packagetype: "sdist",
  pythonVersion: "source",
  requiresPython: null,
  size: 999,
  sha256: SHA_SDIST,
  uploadedAt: new Date("2024-01-02T03:04:06.000Z"),
  metadataSha256: null,
});

function project(files: IndexFile[], overrides: Partial<IndexProject> = {}): IndexProject {
  return {
    name: "Sample.Project",
    normalizedName: "sample-project",
    lastSerial: 42,
    versions: ["0.9", "1.0"],
    files,
    ...overrides,
  };
}

/** The value of `name` on the only `<a>` in `html`, unescaped, or undefined when absent. */
function anchorAttr(html: string, name: string): string | undefined {
  const anchor = /<a [^>]*>/.exec(html)?.[0] ?? "";
  const m = new RegExp(` ${name}="([^"]*)"`).exec(anchor);
  if (!m) return undefined;
  return (m[1] ?? "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

describe("negotiate", () => {
  const JSON_V1 = { format: "json", contentType: "application/vnd.pypi.simple.v1+json" };
  const HTML_V1 = { format: "html", contentType: "application/vnd.pypi.simple.v1+html" };
  const TEXT_HTML = { format: "html", contentType: "text/html" };

  it.each([
    // Absent or empty: HTML, as for every PEP 503 client.
    [null, TEXT_HTML],
    [undefined, TEXT_HTML],
    ["", TEXT_HTML],
    ["   ", TEXT_HTML],
    // One type named.
    ["text/html", TEXT_HTML],
    ["application/vnd.pypi.simple.v1+json", JSON_V1],
    ["application/vnd.pypi.simple.v1+html", HTML_V1],
    // PEP 691: `latest` is answered with the concrete version's content type.
    ["application/vnd.pypi.simple.latest+json", JSON_V1],
    ["application/vnd.pypi.simple.latest+html", HTML_V1],
    // pip (>= 22.2) and uv.
    ["application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01", JSON_V1],
    ["application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01", JSON_V1],
    // q decides, whatever the order.
    ["application/vnd.pypi.simple.v1+json;q=0.5, text/html", TEXT_HTML],
    ["text/html;q=0.5, application/vnd.pypi.simple.v1+json;q=0.6", JSON_V1],
    ["text/html;q=0.5, application/vnd.pypi.simple.v1+html;q=0.6", HTML_V1],
    // Equal q between named types: the most capable (PEP 691 recommendation), in either order.
    ["application/vnd.pypi.simple.v1+json, text/html", JSON_V1],
    ["text/html, application/vnd.pypi.simple.v1+json", JSON_V1],
    ["text/html, application/vnd.pypi.simple.v1+html", HTML_V1],
    // Wildcards: PyPI's order, so requests/curl/browsers get HTML.
    ["*/*", TEXT_HTML],
    ["text/*", TEXT_HTML],
    ["application/*", HTML_V1],
    ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", TEXT_HTML],
    // A named type beats a wildcard match at equal q; a lower q still loses.
    ["application/vnd.pypi.simple.v1+json, */*", JSON_V1],
    ["*/*;q=0.1, application/vnd.pypi.simple.v1+json", JSON_V1],
    ["text/html, application/*", TEXT_HTML],
    ["*/*, application/vnd.pypi.simple.v1+json;q=0.9", TEXT_HTML],
    // q=0 means "not acceptable", even when a wildcard would allow it.
    ["application/vnd.pypi.simple.v1+json;q=0, */*", TEXT_HTML],
    ["*/*, application/vnd.pypi.simple.v1+json;q=0", TEXT_HTML],
    ["text/html;q=0, application/vnd.pypi.simple.v1+json;q=0.1", JSON_V1],
    ["text/html;q=0, */*", HTML_V1],
    // The concrete version is more specific than `latest`.
    [
      "application/vnd.pypi.simple.v1+json;q=0.5, application/vnd.pypi.simple.latest+json;q=0.9, text/html;q=0.7",
      TEXT_HTML,
    ],
    [
      "application/vnd.pypi.simple.latest+json;q=0.9, application/vnd.pypi.simple.v1+json;q=0.5, text/html;q=0.7",
      TEXT_HTML,
    ],
    ["application/vnd.pypi.simple.latest+json;q=0.9, text/html;q=0.7", JSON_V1],
    // Case and whitespace do not matter; media-type parameters are ignored.
    ["APPLICATION/VND.PYPI.SIMPLE.V1+JSON", JSON_V1],
    ["  application/vnd.pypi.simple.v1+json ; Q=0.9 ,text/html;q=0.8", JSON_V1],
    ["application/vnd.pypi.simple.v1+json;charset=utf-8", JSON_V1],
    // Nothing acceptable: HTML rather than 406.
    ["application/json", TEXT_HTML],
    ["application/vnd.pypi.simple.v1+json;q=0", TEXT_HTML],
    ["application/vnd.pypi.simple.v2+json", TEXT_HTML],
    // Garbage: the malformed member is dropped, the rest still counts.
    ["application/vnd.pypi.simple.v1+json;q=2, text/html;q=0.5", TEXT_HTML],
    ["application/vnd.pypi.simple.v1+json;q=0.5, text/html;q=banana", JSON_V1],
    ["*/html, application/vnd.pypi.simple.v1+html;q=0.3", HTML_V1],
    [";;;,,,", TEXT_HTML],
    ["\u0000\u00ff garbage", TEXT_HTML],
  ])("%j", (accept, expected) => {
    expect(negotiate(accept)).toEqual(expected);
  });

  it("returns a fresh object each time", () => {
    const a = negotiate(null);
    a.format = "json";
    expect(negotiate(null).format).toBe("html");
  });

  it("exports the Vary value and API version", () => {
    expect(SIMPLE_VARY).toBe("Accept");
    expect(API_VERSION).toBe("1.1");
  });
});

describe("renderProjectHtml", () => {
  it("renders Warehouse's layout", () => {
    const html = renderProjectHtml(project([WHEEL, SDIST]));
    expect(html).toBe(
      [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "  <head>",
        '    <meta name="pypi:repository-version" content="1.1">',
        "    <title>Links for sample-project</title>",
        "  </head>",
        "  <body>",
        "    <h1>Links for sample-project</h1>",
        `    <a href="${WHEEL.url}#sha256=${SHA_WHEEL}" data-requires-python="&gt;=3.8" ` +
          `data-dist-info-metadata="sha256=${SHA_META}" data-core-metadata="sha256=${SHA_META}">` +
          "sample_project-1.0-py3-none-any.whl</a><br />",
        `    <a href="/packages/bb/bb/sample_project-1.0.tar.gz#sha256=${SHA_SDIST}">` +
          "sample_project-1.0.tar.gz</a><br />",
        "  </body>",
        "</html>",
        "<!--SERIAL 42-->",
        "",
      ].join("\n"),
    );
  });

  it("renders a project without files", () => {
    const html = renderProjectHtml(project([]));
    expect(html).not.toContain("<a ");
    expect(html).toContain("<h1>Links for sample-project</h1>");
  });

  it("adds PEP 658/714 attributes only when the metadata file exists", () => {
    const withMeta = renderProjectHtml(project([WHEEL]));
    expect(anchorAttr(withMeta, "data-core-metadata")).toBe(`sha256=${SHA_META}`);
    expect(anchorAttr(withMeta, "data-dist-info-metadata")).toBe(`sha256=${SHA_META}`);

    const without = renderProjectHtml(project([file({ metadataSha256: null })]));
    expect(without).not.toContain("data-core-metadata");
    expect(without).not.toContain("data-dist-info-metadata");
  });

  it("omits data-requires-python when unset or empty", () => {
    expect(renderProjectHtml(project([file({ requiresPython: null })]))).not.toContain("data-requires-python");
    expect(renderProjectHtml(project([file({ requiresPython: "" })]))).not.toContain("data-requires-python");
    const html = renderProjectHtml(project([file({ requiresPython: ">=3.8, <4, !=3.9.*" })]));
    expect(html).toContain('data-requires-python="&gt;=3.8, &lt;4, !=3.9.*"');
    expect(anchorAttr(html, "data-requires-python")).toBe(">=3.8, <4, !=3.9.*");
  });

  it("renders yanked files with and without a reason", () => {
    expect(renderProjectHtml(project([WHEEL]))).not.toContain("data-yanked");
    const noReason = renderProjectHtml(project([file({ yanked: "" })]));
    expect(noReason).toMatch(/ data-yanked=""[ >]/);
    const withReason = renderProjectHtml(project([file({ yanked: "Broken on Windows" })]));
    expect(anchorAttr(withReason, "data-yanked")).toBe("Broken on Windows");
  });

  it("escapes a hostile yanked reason", () => {
    const reason = `<script>alert("x")</script> & 'quoted' "double"`;
    const html = renderProjectHtml(project([file({ yanked: reason })]));
    expect(html).not.toContain("<script>");
    expect(html).toContain(
      'data-yanked="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quoted&#39; &#34;double&#34;"',
    );
    // The attribute still ends where it should and decodes back to the reason.
    expect(anchorAttr(html, "data-yanked")).toBe(reason);
    expect(html.match(/<a /g)).toHaveLength(1);
  });

  it("escapes names, filenames and URLs", () => {
    const html = renderProjectHtml(
      project([file({ filename: "x<b>&.whl", url: "/packages/a&b/x<b>.whl" })], { normalizedName: "a<b>" }),
    );
    expect(html).toContain("<title>Links for a&lt;b&gt;</title>");
    expect(html).toContain("<h1>Links for a&lt;b&gt;</h1>");
    expect(html).toContain(">x&lt;b&gt;&amp;.whl</a>");
    expect(anchorAttr(html, "href")).toBe(`/packages/a&b/x<b>.whl#sha256=${SHA_WHEEL}`);
    expect(html).not.toContain("<b>");
  });

  it("prefixes file URLs with baseUrl when given", () => {
    const html = renderProjectHtml(project([SDIST]), "https://pypi.example.com/");
    expect(anchorAttr(html, "href")).toBe(
      `https://pypi.example.com/packages/bb/bb/sample_project-1.0.tar.gz#sha256=${SHA_SDIST}`,
    );
  });
});

describe("renderProjectJson", () => {
  const parsed = () =>
    JSON.parse(renderProjectJson(project([WHEEL, SDIST], { versions: ["0.9", "1.0", "2.0"] }))) as Record<
      string,
      unknown
    >;

  it("has the PEP 691/700 shape", () => {
    const body = parsed();
    expect(Object.keys(body)).toEqual(["meta", "name", "versions", "files"]);
    expect(body.meta).toEqual({ "api-version": "1.1", "_last-serial": 42 });
    expect(body.name).toBe("sample-project");
    // Every version, including ones without files (PEP 700).
    expect(body.versions).toEqual(["0.9", "1.0", "2.0"]);
    expect(body.files).toEqual([
      {
        filename: "sample_project-1.0-py3-none-any.whl",
        url: WHEEL.url,
        hashes: { sha256: SHA_WHEEL },
        "requires-python": ">=3.8",
        size: 1234,
        "upload-time": "2024-01-02T03:04:05.123000Z",
        yanked: false,
        "core-metadata": { sha256: SHA_META },
      },
      {
        filename: "sample_project-1.0.tar.gz",
        url: "/packages/bb/bb/sample_project-1.0.tar.gz",
        hashes: { sha256: SHA_SDIST },
        size: 999,
        "upload-time": "2024-01-02T03:04:06.000000Z",
        yanked: false,
        "core-metadata": false,
      },
    ]);
  });

  it("never emits dist-info-metadata in JSON (PEP 714: it breaks pip 22.3-23.1)", () => {
    const text = renderProjectJson(project([WHEEL, SDIST]));
    expect(text).not.toContain("dist-info-metadata");
  });

  it("omits requires-python when unset", () => {
    const files = parsed().files as Record<string, unknown>[];
    expect(files[0]).toHaveProperty("requires-python");
    expect(files[1]).not.toHaveProperty("requires-python");
  });

  it.each([
    [false as const, false],
    ["", true],
    ["Broken on Windows", "Broken on Windows"],
  ])("yanked %j renders as %j", (yanked, expected) => {
    const body = JSON.parse(renderProjectJson(project([file({ yanked })]))) as { files: { yanked: unknown }[] };
    expect(body.files[0]?.yanked).toEqual(expected);
  });

  it("keeps upload-time in UTC with six fractional digits", () => {
    const body = JSON.parse(
      renderProjectJson(project([file({ uploadedAt: new Date("2023-12-31T23:59:59.007+01:00") })])),
    ) as { files: { "upload-time": string }[] };
    expect(body.files[0]?.["upload-time"]).toBe("2023-12-31T22:59:59.007000Z");
    expect(formatUploadTime(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/,
    );
  });

  it("prefixes file URLs with baseUrl when given", () => {
    const body = JSON.parse(renderProjectJson(project([SDIST]), "https://pypi.example.com")) as {
      files: { url: string }[];
    };
    expect(body.files[0]?.url).toBe("https://pypi.example.com/packages/bb/bb/sample_project-1.0.tar.gz");
  });
});

describe("absoluteUrl", () => {
  it.each([
    ["/packages/x.whl", undefined, "/packages/x.whl"],
    ["/packages/x.whl", "", "/packages/x.whl"],
    ["/packages/x.whl", "https://h", "https://h/packages/x.whl"],
    ["/packages/x.whl", "https://h/", "https://h/packages/x.whl"],
    ["/packages/x.whl", "https://h/prefix//", "https://h/prefix/packages/x.whl"],
    ["packages/x.whl", "https://h", "https://h/packages/x.whl"],
    ["https://files.example/x.whl", "https://h", "https://files.example/x.whl"],
  ])("%j with %j → %j", (url, base, expected) => {
    expect(absoluteUrl(url, base)).toBe(expected);
  });
});

const INDEX: SimpleIndexEntry[] = [
  { name: "Django", normalizedName: "django", lastSerial: 7 },
  { name: "zope.interface", normalizedName: "zope-interface" },
  { name: "Evil<script>", normalizedName: "evil&co" },
];

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

/** An async source like a database cursor: every item arrives after an await. */
async function* slowly<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

function manyProjects(n: number): SimpleIndexEntry[] {
  return Array.from({ length: n }, (_, i) => ({ name: `Project_${i}`, normalizedName: `project-${i}`, lastSerial: i }));
}

describe("renderIndexHtml", () => {
  it("renders the PEP 503 root page", () => {
    expect(renderIndexHtml(INDEX)).toBe(
      [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "  <head>",
        '    <meta name="pypi:repository-version" content="1.1">',
        "    <title>Simple index</title>",
        "  </head>",
        "  <body>",
        '    <a href="/simple/django/">Django</a>',
        '    <a href="/simple/zope-interface/">zope.interface</a>',
        '    <a href="/simple/evil&amp;co/">Evil&lt;script&gt;</a>',
        "  </body>",
        "</html>",
        "",
      ].join("\n"),
    );
  });

  it("renders an empty index", () => {
    const html = renderIndexHtml([]);
    expect(html).toContain("<body>\n  </body>");
    expect(html).not.toContain("<a ");
  });
});

describe("renderIndexJson", () => {
  it("renders the PEP 691 root with _last-serial only where known", () => {
    const text = renderIndexJson(INDEX, 99);
    expect(JSON.parse(text)).toEqual({
      meta: { "api-version": "1.1", "_last-serial": 99 },
      projects: [{ name: "Django", "_last-serial": 7 }, { name: "zope.interface" }, { name: "Evil<script>" }],
    });
    expect(text.startsWith('{"meta":')).toBe(true);
  });

  it("renders an empty index as valid JSON", () => {
    expect(JSON.parse(renderIndexJson([], 0))).toEqual({
      meta: { "api-version": "1.1", "_last-serial": 0 },
      projects: [],
    });
  });
});

describe("streaming root index", () => {
  it("sync chunks join to the non-streaming output", () => {
    expect([...renderIndexHtmlChunks(INDEX)].join("")).toBe(renderIndexHtml(INDEX));
    expect([...renderIndexJsonChunks(INDEX, 5)].join("")).toBe(renderIndexJson(INDEX, 5));
  });

  it("async chunks from an async source join to the same output", async () => {
    expect((await collect(renderIndexHtmlChunks(slowly(INDEX)))).join("")).toBe(renderIndexHtml(INDEX));
    expect((await collect(renderIndexJsonChunks(slowly(INDEX), 5))).join("")).toBe(renderIndexJson(INDEX, 5));
  });

  it("splits a large index into several bounded chunks, still equal to the whole", async () => {
    const projects = manyProjects(5000);
    const html = [...renderIndexHtmlChunks(projects)];
    const json = await collect(renderIndexJsonChunks(slowly(projects), 123));
    expect(html.length).toBeGreaterThan(3);
    expect(json.length).toBeGreaterThan(3);
    for (const chunk of [...html, ...json]) expect(chunk.length).toBeLessThan(20_000);
    expect(html.join("")).toBe(renderIndexHtml(projects));
    expect(json.join("")).toBe(renderIndexJson(projects, 123));
    const parsed = JSON.parse(json.join("")) as { projects: unknown[] };
    expect(parsed.projects).toHaveLength(5000);
  });

  it("yields the head before reading any project (first byte fast)", async () => {
    let pulled = 0;
    const source: AsyncIterable<SimpleIndexEntry> = {
      [Symbol.asyncIterator]() {
        return {
          next: async () => {
            pulled++;
            return { done: true as const, value: undefined };
          },
        };
      },
    };
    const html = renderIndexHtmlChunks(source);
    const first = await html.next();
    expect(first.value).toContain("<title>Simple index</title>");
    expect(pulled).toBe(0);

    const json = renderIndexJsonChunks(source, 1);
    const head = await json.next();
    expect(head.value).toBe('{"meta":{"api-version":"1.1","_last-serial":1},"projects":[');
    expect(pulled).toBe(0);
  });

  it("returns a sync generator for arrays and an async one for async sources", () => {
    expect(typeof renderIndexHtmlChunks([])[Symbol.iterator]).toBe("function");
    expect(typeof renderIndexHtmlChunks(slowly([]))[Symbol.asyncIterator]).toBe("function");
  });
});

describe("etagFor", () => {
  it("is a quoted 32-hex strong tag, stable for the same inputs", () => {
    const tag = etagFor("application/vnd.pypi.simple.v1+json", 42);
    expect(tag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(etagFor("application/vnd.pypi.simple.v1+json", 42)).toBe(tag);
  });

  it("changes with any input", () => {
    const base = etagFor("text/html", 42);
    expect(etagFor("text/html", 43)).not.toBe(base);
    expect(etagFor("application/vnd.pypi.simple.v1+json", 42)).not.toBe(base);
    expect(etagFor("text/html", 42, "https://h")).not.toBe(base);
  });

  it("does not confuse differently split or typed parts", () => {
    expect(etagFor("a,b")).not.toBe(etagFor("a", "b"));
    expect(etagFor("ab")).not.toBe(etagFor("a", "b"));
    expect(etagFor(1)).not.toBe(etagFor("1"));
  });
});

describe("matchesIfNoneMatch", () => {
  const tag = '"0123456789abcdef0123456789abcdef"';
  it.each([
    [null, false],
    [undefined, false],
    ["", false],
    [tag, true],
    [`W/${tag}`, true],
    [`"other", ${tag}`, true],
    [`"other",W/${tag} , "x"`, true],
    ['"other"', false],
    ['W/"other", "x,y"', false],
    ["*", true],
    [" * ", true],
    ["0123456789abcdef0123456789abcdef", false],
    ['abc*, "zzz"', false],
    ["garbage", false],
  ])("%j → %s", (header, expected) => {
    expect(matchesIfNoneMatch(header, tag)).toBe(expected);
  });

  it("compares weakly when our own tag is weak", () => {
    expect(matchesIfNoneMatch(tag, `W/${tag}`)).toBe(true);
  });

  it("handles commas inside entity tags", () => {
    expect(matchesIfNoneMatch('"a", "b,c"', '"b,c"')).toBe(true);
    expect(matchesIfNoneMatch('"a", "b,c"', '"b"')).toBe(false);
  });

  it("round-trips with etagFor", () => {
    const etag = etagFor("text/html", 1);
    expect(matchesIfNoneMatch(`W/${etag}`, etag)).toBe(true);
    expect(matchesIfNoneMatch(etagFor("text/html", 2), etag)).toBe(false);
  });
});

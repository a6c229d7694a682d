import { describe, expect, it } from "vitest";
import {
  findRelease,
  renderProjectJsonApi,
  selectLatestRelease,
  type JsonApiProject,
  type JsonApiResponse,
} from "@/lib/index-api/json";
import type { IndexFile, ProjectDetail, ReleaseDetail } from "@/lib/index-api/types";

const BASE = "https://pypi.example.com";

function file(version: string, overrides: Partial<IndexFile> = {}): IndexFile {
  const filename = `sample_project-${version}-py3-none-any.whl`;
  return {
    filename,
    url: `/packages/ab/cd/${"0".repeat(60)}/${filename}`,
    version,
    packagetype: "bdist_wheel",
    pythonVersion: "py3",
    requiresPython: ">=3.8",
    size: 2048,
    sha256: "1".repeat(64),
    md5: "2".repeat(32),
    blake2b256: "3".repeat(64),
    uploadedAt: new Date("2024-01-02T03:04:05.123Z"),
    yanked: false,
    metadataSha256: "4".repeat(64),
    ...overrides,
  };
}

function release(version: string, overrides: Partial<ReleaseDetail> = {}): ReleaseDetail {
  return {
    version,
    summary: `Summary of ${version}`,
    description: "# Sample\n",
    descriptionContentType: "text/markdown",
    descriptionHtml: null,
    keywords: [],
    homePage: null,
    author: "A. Random Developer",
    authorEmail: "author@example.com",
    maintainer: null,
    maintainerEmail: null,
    license: null,
    licenseExpression: "MIT",
    classifiers: [],
    requiresDist: [],
    requiresPython: ">=3.8",
    providesExtra: [],
    projectUrls: [],
    yanked: false,
    yankedReason: null,
    createdAt: new Date("2024-01-01T00:00:00Z"),
    files: [file(version)],
    ...overrides,
  };
}

function project(releases: ReleaseDetail[]): ProjectDetail {
  return { name: "Sample.Project", normalizedName: "sample-project", lastSerial: 77, releases };
}

/** The renderer's input as the query hands it over (its choice of release: ./json-query.test.ts). */
function input(p: ProjectDetail, version?: string): JsonApiProject {
  return {
    name: p.name,
    lastSerial: p.lastSerial,
    release: version === undefined ? selectLatestRelease(p.releases) : findRelease(p.releases, version),
    releases: version === undefined ? p.releases : undefined,
  };
}

function render(p: ProjectDetail, version?: string): JsonApiResponse {
  const body = renderProjectJsonApi(input(p, version), BASE);
  if (body === null) throw new Error("expected a body");
  return body;
}

// Oldest first, as the data layer hands them over.
const RELEASES = [
  release("0.9"),
  release("1.0"),
  release("1.1", { yanked: true, yankedReason: "Broken" }),
  release("1.5", { files: [] }),
  release("2.0rc1"),
  release("2.1.dev1"),
];

describe("selectLatestRelease", () => {
  it("picks the highest non-yanked final release that has files", () => {
    expect(selectLatestRelease(RELEASES)?.version).toBe("1.0");
  });

  it("does not depend on input order", () => {
    expect(selectLatestRelease([...RELEASES].reverse())?.version).toBe("1.0");
  });

  it("uses PEP 440 order, not string order", () => {
    expect(selectLatestRelease([release("1.10"), release("1.9"), release("1.2")])?.version).toBe("1.10");
  });

  it("treats dev releases as pre-releases", () => {
    expect(selectLatestRelease([release("1.0"), release("1.1.dev0")])?.version).toBe("1.0");
  });

  it("falls back to the highest non-yanked pre-release when every final release is yanked", () => {
    const releases = [release("1.0", { yanked: true }), release("2.0rc1"), release("2.1.dev1")];
    expect(selectLatestRelease(releases)?.version).toBe("2.1.dev1");
  });

  it("falls back to yanked releases, final before pre-release, when all are yanked", () => {
    const releases = [
      release("1.0", { yanked: true }),
      release("1.1", { yanked: true }),
      release("2.0a1", { yanked: true }),
    ];
    expect(selectLatestRelease(releases)?.version).toBe("1.1");
  });

  it("ignores releases without files when any release has files", () => {
    const releases = [release("1.0", { yanked: true }), release("3.0", { files: [] })];
    expect(selectLatestRelease(releases)?.version).toBe("1.0");
  });

  it("uses Warehouse's order among file-less releases when none has files", () => {
    const releases = [release("1.0", { files: [] }), release("2.0b1", { files: [] }), release("0.5", { files: [] })];
    expect(selectLatestRelease(releases)?.version).toBe("1.0");
  });

  it("returns null without releases", () => {
    expect(selectLatestRelease([])).toBeNull();
  });
});

describe("findRelease", () => {
  it.each([
    ["1.0", "1.0"],
    ["1.0.0", "1.0"],
    ["1", "1.0"],
    ["v1.0", "1.0"],
    ["2.0RC1", "2.0rc1"],
    ["2.0-rc.1", "2.0rc1"],
    ["2.1.dev1", "2.1.dev1"],
  ])("%j finds %j", (wanted, found) => {
    expect(findRelease(RELEASES, wanted)?.version).toBe(found);
  });

  it.each(["9.9", "1.0.1", "2.0", "not a version", ""])("%j finds nothing", (wanted) => {
    expect(findRelease(RELEASES, wanted)).toBeNull();
  });

  it("falls back to the exact spelling when legacy data has canonical duplicates", () => {
    const releases = [release("1.0"), release("1.0.0")];
    expect(findRelease(releases, "1.0.0")?.version).toBe("1.0.0");
    expect(findRelease(releases, "1.0")?.version).toBe("1.0");
    expect(findRelease(releases, "1")).toBeNull();
  });

  it("matches non-PEP 440 legacy versions exactly", () => {
    expect(findRelease([release("2004d"), release("1.0")], "2004d")?.version).toBe("2004d");
  });
});

const INFO_KEYS = [
  "author",
  "author_email",
  "bugtrack_url",
  "classifiers",
  "description",
  "description_content_type",
  "docs_url",
  "download_url",
  "downloads",
  "dynamic",
  "home_page",
  "keywords",
  "license",
  "license_expression",
  "license_files",
  "maintainer",
  "maintainer_email",
  "name",
  "package_url",
  "platform",
  "project_url",
  "project_urls",
  "provides_extra",
  "release_url",
  "requires_dist",
  "requires_python",
  "summary",
  "version",
  "yanked",
  "yanked_reason",
];

const FILE_KEYS = [
  "comment_text",
  "digests",
  "downloads",
  "filename",
  "has_sig",
  "md5_digest",
  "packagetype",
  "python_version",
  "requires_python",
  "size",
  "upload_time",
  "upload_time_iso_8601",
  "url",
  "yanked",
  "yanked_reason",
];

describe("renderProjectJsonApi: project endpoint", () => {
  const body = render(project(RELEASES));

  it("has PyPI's top-level keys in PyPI's (sorted) order", () => {
    expect(Object.keys(body)).toEqual(["info", "last_serial", "releases", "urls", "vulnerabilities"]);
    expect(body.last_serial).toBe(77);
    expect(body.vulnerabilities).toEqual([]);
  });

  it("has every info key, sorted", () => {
    expect(Object.keys(body.info)).toEqual(INFO_KEYS);
  });

  it("describes the latest release", () => {
    expect(body.info.version).toBe("1.0");
    expect(body.info.summary).toBe("Summary of 1.0");
    expect(body.urls.map((f) => f.filename)).toEqual(["sample_project-1.0-py3-none-any.whl"]);
  });

  it("lists every release, file-less ones with [], keyed as PyPI sorts them", () => {
    expect(Object.keys(body.releases ?? {})).toEqual(["0.9", "1.0", "1.1", "1.5", "2.0rc1", "2.1.dev1"]);
    expect(body.releases?.["1.5"]).toEqual([]);
    expect(body.releases?.["1.0"]).toEqual(body.urls);
    expect(body.releases?.["2.0rc1"]?.[0]?.filename).toBe("sample_project-2.0rc1-py3-none-any.whl");
  });

  it("marks files of yanked releases", () => {
    expect(body.releases?.["1.1"]?.[0]).toMatchObject({ yanked: true, yanked_reason: "Broken" });
    expect(body.urls[0]).toMatchObject({ yanked: false, yanked_reason: null });
  });

  it("renders a file as PyPI does", () => {
    const [f] = body.urls;
    expect(Object.keys(f ?? {})).toEqual(FILE_KEYS);
    expect(f).toEqual({
      comment_text: "",
      digests: { blake2b_256: "3".repeat(64), md5: "2".repeat(32), sha256: "1".repeat(64) },
      downloads: -1,
      filename: "sample_project-1.0-py3-none-any.whl",
      has_sig: false,
      md5_digest: "2".repeat(32),
      packagetype: "bdist_wheel",
      python_version: "py3",
      requires_python: ">=3.8",
      size: 2048,
      upload_time: "2024-01-02T03:04:05",
      upload_time_iso_8601: "2024-01-02T03:04:05.123000Z",
      url: `${BASE}/packages/ab/cd/${"0".repeat(60)}/sample_project-1.0-py3-none-any.whl`,
      yanked: false,
      yanked_reason: null,
    });
  });

  it("serialises to JSON and back unchanged", () => {
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });

  it("returns null for a project without releases", () => {
    expect(renderProjectJsonApi(input(project([])), BASE)).toBeNull();
  });
});

describe("renderProjectJsonApi: version endpoint", () => {
  it("renders the requested release without `releases`", () => {
    const body = render(project(RELEASES), "2.0rc1");
    expect(Object.keys(body)).toEqual(["info", "last_serial", "urls", "vulnerabilities"]);
    expect(body).not.toHaveProperty("releases");
    expect(body.info.version).toBe("2.0rc1");
    expect(body.urls.map((f) => f.filename)).toEqual(["sample_project-2.0rc1-py3-none-any.whl"]);
  });

  it("finds the release by PEP 440 equality and reports its stored spelling", () => {
    const body = render(project(RELEASES), "1.0.0");
    expect(body.info.version).toBe("1.0");
    expect(body.info.release_url).toBe(`${BASE}/project/Sample.Project/1.0/`);
  });

  it("renders yanked and pre-releases when asked for them", () => {
    const yanked = render(project(RELEASES), "1.1");
    expect(yanked.info).toMatchObject({ version: "1.1", yanked: true, yanked_reason: "Broken" });
    expect(yanked.urls[0]).toMatchObject({ yanked: true, yanked_reason: "Broken" });
  });

  it("returns null for an unknown version", () => {
    expect(renderProjectJsonApi(input(project(RELEASES), "3.0"), BASE)).toBeNull();
  });
});

describe("renderProjectJsonApi: info fields", () => {
  it("fills PyPI's null/-1 placeholders and URLs", () => {
    const { info } = render(project([release("1.0")]));
    expect(info).toMatchObject({
      bugtrack_url: null,
      docs_url: null,
      download_url: null,
      downloads: { last_day: -1, last_month: -1, last_week: -1 },
      dynamic: null,
      license_files: null,
      platform: null,
      name: "Sample.Project",
      package_url: `${BASE}/project/Sample.Project/`,
      project_url: `${BASE}/project/Sample.Project/`,
      release_url: `${BASE}/project/Sample.Project/1.0/`,
    });
  });

  it("uses null for empty lists and a comma-joined keywords string", () => {
    const empty = render(project([release("1.0")])).info;
    expect(empty).toMatchObject({ keywords: null, requires_dist: null, provides_extra: null, project_urls: null });
    expect(empty.classifiers).toEqual([]);

    const full = render(
      project([
        release("1.0", {
          keywords: ["sample", "setuptools", "development"],
          requiresDist: ["peppercorn", 'coverage ; extra == "test"'],
          providesExtra: ["test"],
          classifiers: ["Programming Language :: Python :: 3"],
        }),
      ]),
    ).info;
    expect(full.keywords).toBe("sample, setuptools, development");
    expect(full.requires_dist).toEqual(["peppercorn", 'coverage ; extra == "test"']);
    expect(full.provides_extra).toEqual(["test"]);
    expect(full.classifiers).toEqual(["Programming Language :: Python :: 3"]);
  });

  it("builds project_urls like Warehouse: Homepage first-class, duplicates of it dropped", () => {
    const { info } = render(
      project([
        release("1.0", {
          homePage: "https://example.com",
          projectUrls: [
            { label: "Source", url: "https://github.com/x/y" },
            { label: "home-page", url: "https://example.com" },
            { label: "Bug Reports", url: "https://github.com/x/y/issues" },
          ],
        }),
      ]),
    );
    expect(info.home_page).toBe("https://example.com");
    expect(info.project_urls).toEqual({
      "Bug Reports": "https://github.com/x/y/issues",
      Homepage: "https://example.com",
      Source: "https://github.com/x/y",
    });
    expect(Object.keys(info.project_urls ?? {})).toEqual(["Bug Reports", "Homepage", "Source"]);
  });

  it("keeps a homepage-like label that points elsewhere", () => {
    const { info } = render(
      project([
        release("1.0", {
          homePage: "https://a.example",
          projectUrls: [{ label: "Homepage", url: "https://b.example" }],
        }),
      ]),
    );
    expect(info.project_urls).toEqual({ Homepage: "https://b.example" });
  });

  it("reports a yanked release's reason, or null when it has none", () => {
    const withReason = render(project([release("1.0", { yanked: true, yankedReason: "Security" })]), "1.0").info;
    expect(withReason).toMatchObject({ yanked: true, yanked_reason: "Security" });
    const noReason = render(project([release("1.0", { yanked: true, yankedReason: "" })]), "1.0");
    expect(noReason.info).toMatchObject({ yanked: true, yanked_reason: null });
    expect(noReason.urls[0]).toMatchObject({ yanked: true, yanked_reason: null });
  });

  it("turns a missing description into an empty string and empty Requires-Python into null", () => {
    const { info, urls } = render(
      project([
        release("1.0", { description: null, requiresPython: "", files: [file("1.0", { requiresPython: null })] }),
      ]),
    );
    expect(info.description).toBe("");
    expect(info.requires_python).toBeNull();
    expect(urls[0]?.requires_python).toBeNull();
  });

  it("accepts a baseUrl with a trailing slash", () => {
    const body = renderProjectJsonApi(input(project([release("1.0")])), `${BASE}/`);
    expect(body?.info.package_url).toBe(`${BASE}/project/Sample.Project/`);
    expect(body?.urls[0]?.url.startsWith(`${BASE}/packages/`)).toBe(true);
  });

  it("orders a release's files by filename", () => {
    const files = [
      file("1.0", { filename: "sample_project-1.0.tar.gz", packagetype: "sdist", pythonVersion: "source" }),
      file("1.0", { filename: "sample_project-1.0-py3-none-any.whl" }),
    ];
    const body = render(project([release("1.0", { files })]));
    expect(body.urls.map((f) => f.filename)).toEqual([
      "sample_project-1.0-py3-none-any.whl",
      "sample_project-1.0.tar.gz",
    ]);
    expect(body.urls.map((f) => f.packagetype)).toEqual(["bdist_wheel", "sdist"]);
  });
});

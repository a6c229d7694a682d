// The JSON API reads a project in one SQL query (getJsonApiProjects / getJsonApiRelease) and picks
// the latest release from projects.latest_version. Its documents must be, byte for byte, what the
// renderer makes of the full reading the project pages use (getProjectDetail) with the release
// chosen by PEP 440 (selectLatestRelease / findRelease): checked here on real uploads, including
// pre-releases, yanked and file-less releases, rich metadata, and a project left without releases.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { config } from "@/lib/config";
import { findRelease, renderProjectJsonApi, selectLatestRelease } from "@/lib/index-api/json";
import {
  getIndexProject,
  getJsonApiProjects,
  getJsonApiRelease,
  getProjectDetail,
  lastSerial,
  listIndexProjects,
} from "@/lib/index-api/queries";
import { db } from "@/lib/db/client";
import { jsonApiDocument, renderJsonApiDocument } from "@/lib/index-api/responses";
import { deleteFile, deleteRelease, setYanked } from "@/lib/projects/manage";
import { withTempDataDir } from "../unit/helpers";
import { multipart, publisher, upload, uploadForm, wheel } from "../upload/support";
import { publishedProject, wheelFilename } from "../projects/support";

withTempDataDir();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "wh-json-query-"));

async function publishWith(token: string, name: string, version: string, extra = ""): Promise<void> {
  const summary = `${name} at ${version}`;
  const metadata = `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: ${summary}\n${extra}`;
  const content = await wheel(scratch, { name, version, metadata });
  const result = await upload(
    token,
    multipart(uploadForm({ name, version, filename: wheelFilename(name, version), content })),
  );
  if (result.status !== 200) throw new Error(`upload of ${name} ${version}: ${result.status} ${result.message}`);
}

/** The reference: the full reading, the release chosen in PEP 440 order, the same renderer. */
async function expected(normalized: string, version?: string): Promise<string | null> {
  const detail = await getProjectDetail(normalized);
  if (!detail) throw new Error("no project");
  const release = version === undefined ? selectLatestRelease(detail.releases) : findRelease(detail.releases, version);
  const document = renderProjectJsonApi(
    {
      name: detail.name,
      lastSerial: detail.lastSerial,
      release,
      releases: version === undefined ? detail.releases : undefined,
    },
    config().baseUrl,
  );
  return document && JSON.stringify(document);
}

async function body(normalized: string, version?: string): Promise<string | null> {
  const doc = await jsonApiDocument(normalized, version);
  if (!doc) throw new Error("no project");
  return "notFound" in doc ? null : doc.body;
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("the JSON API's query", () => {
  it("gives the documents the full reading gives, over many versions in PEP 440 order", async () => {
    const { token } = await publisher();
    const name = `many-${Date.now().toString(36)}`;
    const rich = [
      'Author: Ada "Quotes" Lovelace',
      "Author-email: ada@example.com",
      "License-Expression: MIT",
      "Keywords: one,two,three",
      "Classifier: Programming Language :: Python :: 3",
      "Classifier: License :: OSI Approved :: MIT License",
      "Requires-Dist: requests>=2",
      'Requires-Dist: pytest; extra == "test"',
      "Provides-Extra: test",
      "Requires-Python: >=3.9",
      "Home-page: https://example.com/home",
      "Project-URL: Source, https://example.com/src",
      "Project-URL: Homepage, https://example.com/home",
      "Description-Content-Type: text/markdown",
      "",
      '# Ünïcödé \u2028 tabs\tand "quotes" and \\ backslashes 🐍',
      "",
    ].join("\n");
    // Uploaded out of order; string order and PEP 440 order disagree on most of them.
    for (const version of ["1.9", "1.10", "0.9", "2.0rc1", "10.0a1", "1.2.dev3", "2.0", "2.0.post1", "1.0"]) {
      await publishWith(token, name, version, version === "2.0" ? rich : "");
    }

    expect(await body(name)).toBe(await expected(name));
    const latest = JSON.parse((await body(name))!) as { info: { version: string }; releases: object };
    expect(latest.info.version).toBe("2.0.post1");
    expect(Object.keys(latest.releases)).toEqual([
      "0.9",
      "1.0",
      "1.10",
      "1.2.dev3",
      "1.9",
      "10.0a1",
      "2.0",
      "2.0.post1",
      "2.0rc1",
    ]);
    for (const version of ["2.0", "2.0.0", "1.10", "10.0a1", "1.2.dev3", "9.9", "not a version"]) {
      expect([version, await body(name, version)]).toEqual([version, await expected(name, version)]);
    }
    const richInfo = (JSON.parse((await body(name, "2.0"))!) as { info: Record<string, unknown> }).info;
    expect(richInfo).toMatchObject({
      author: 'Ada "Quotes" Lovelace',
      keywords: "one, two, three",
      project_urls: { Homepage: "https://example.com/home", Source: "https://example.com/src" },
      provides_extra: ["test"],
    });
    expect(richInfo.description).toContain("🐍");
  });

  it("follows yanks and deletions to the release PEP 440 and PyPI's rules pick", async () => {
    const { project, owner, token } = await publishedProject(["1.0", "2.0", "3.0b1"]);
    const name = project.normalizedName;
    await publishWith(token, project.name, "2.1");
    expect(JSON.parse((await body(name))!).info.version).toBe("2.1");

    expect((await setYanked(project.id, "2.1", true, "broken", owner)).ok).toBe(true);
    expect(JSON.parse((await body(name))!).info.version).toBe("2.0");
    expect(await body(name)).toBe(await expected(name));
    expect(await body(name, "2.1")).toBe(await expected(name, "2.1"));

    // A release whose only file is gone lists [] and is no longer the latest.
    const file = wheelFilename(project.name, "2.0");
    expect((await deleteFile(project.id, file, file, owner)).ok).toBe(true);
    const afterDelete = JSON.parse((await body(name))!) as { info: { version: string }; releases: Record<string, []> };
    expect(afterDelete.info.version).toBe("1.0");
    expect(afterDelete.releases["2.0"]).toEqual([]);
    expect(await body(name)).toBe(await expected(name));
    expect(await body(name, "2.0")).toBe(await expected(name, "2.0"));

    // Every final release yanked or file-less: a non-yanked pre-release comes before yanked ones.
    expect((await setYanked(project.id, "1.0", true, "", owner)).ok).toBe(true);
    expect(JSON.parse((await body(name))!).info.version).toBe("3.0b1");
    expect(await body(name)).toBe(await expected(name));
  });

  it("answers 'no releases' for a project whose releases were all deleted", async () => {
    const { project, owner } = await publishedProject(["1.0"]);
    expect((await deleteRelease(project.id, "1.0", "1.0", owner)).ok).toBe(true);
    expect(await jsonApiDocument(project.normalizedName, undefined)).toEqual({
      notFound: `Project '${project.name}' has no releases.`,
    });
    expect(await jsonApiDocument(project.normalizedName, "1.0")).toEqual({
      notFound: `Project '${project.name}' has no release 1.0.`,
    });
    expect(await jsonApiDocument(`no-such-${project.normalizedName}`, undefined)).toBeNull();
  });

  it("reads many projects in one query, leaving unknown names out", async () => {
    const a = await publishedProject(["1.0"]);
    const b = await publishedProject(["2.0", "3.0"]);
    const found = await getJsonApiProjects([a.project.normalizedName, b.project.normalizedName, "no-such-project-x"]);
    expect([...found.keys()].sort()).toEqual([a.project.normalizedName, b.project.normalizedName].sort());
    expect(found.get(b.project.normalizedName)?.release?.version).toBe("3.0");
    expect((await getJsonApiRelease(b.project.normalizedName, "2"))?.release?.version).toBe("2.0");
  });
});

describe("the document's ETag", () => {
  it("changes with every change to the project; a project's document and a version's differ", async () => {
    const { project, owner } = await publishedProject(["1.0", "2.0"]);
    const name = project.normalizedName;
    const tag = async (version?: string) => {
      const doc = await jsonApiDocument(name, version);
      if (!doc || "notFound" in doc) throw new Error("expected a document");
      return doc.etag;
    };
    const before = [await tag(), await tag("1.0")];
    expect(before[0]).not.toBe(before[1]);
    // Read again unchanged: the same tags (a client's If-None-Match still matches).
    expect([await tag(), await tag("1.0")]).toEqual(before);
    // A yank changes both documents' bytes (the release's files are marked), so both tags.
    expect((await setYanked(project.id, "1.0", true, "broken", owner)).ok).toBe(true);
    const after = [await tag(), await tag("1.0")];
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
  });

  it("changes with the public URL the document's links are built from, not only with the serial", async () => {
    const { project } = await publishedProject(["1.0"]);
    const read = (await getJsonApiProjects([project.normalizedName])).get(project.normalizedName)!;
    const here = renderJsonApiDocument(read, undefined);

    vi.stubEnv("WHEELHOUSE_URL", "https://pypi.example.org/mirror");
    vi.resetModules(); // config() keeps its first answer per module instance
    const { renderJsonApiDocument: elsewhere } = await import("@/lib/index-api/responses");
    const there = elsewhere(read, undefined);

    if ("notFound" in here || "notFound" in there) throw new Error("expected documents");
    expect(there.serial).toBe(here.serial);
    expect(there.body).toContain("https://pypi.example.org/mirror/packages/");
    expect(there.body).not.toBe(here.body);
    expect(there.etag).not.toBe(here.etag);
    // The same bytes keep their tag.
    expect(elsewhere(read, undefined)).toMatchObject({ etag: there.etag });
  });
});

describe("the /simple/ page's query", () => {
  it("reads what the full reading reads: every version in PEP 440 order, each file with its yank", async () => {
    // Uploaded out of order; string order and PEP 440 order disagree.
    const { project, owner } = await publishedProject(["1.9", "1.10", "0.9", "2.0rc1", "1.0"]);
    const name = project.normalizedName;
    expect((await setYanked(project.id, "1.10", true, "broken", owner)).ok).toBe(true);
    const file = wheelFilename(project.name, "0.9");
    expect((await deleteFile(project.id, file, file, owner)).ok).toBe(true);

    const index = await getIndexProject(name);
    const detail = (await getProjectDetail(name))!;
    expect(index).toEqual({
      name: detail.name,
      normalizedName: name,
      lastSerial: detail.lastSerial,
      versions: detail.releases.map((r) => r.version),
      files: detail.releases.flatMap((r) => r.files),
    });
    // A release without files is still a version (PEP 700).
    expect(index?.versions).toEqual(["0.9", "1.0", "1.9", "1.10", "2.0rc1"]);
    expect(index?.files.map((f) => [f.version, f.yanked])).toEqual([
      ["1.0", false],
      ["1.9", false],
      ["1.10", "broken"],
      ["2.0rc1", false],
    ]);
    expect(await getIndexProject(`${name}-none`)).toBeNull();
  });
});

describe("the root index's reading", () => {
  it("walks every project once, in name order, across keyset pages", async () => {
    const created: string[] = [];
    for (let i = 0; i < 3; i++) created.push((await publishedProject(["1.0"])).project.normalizedName);
    // Other test files add projects meanwhile: this one checks its own, in the database's order.
    const mine = await db().project.findMany({
      where: { normalizedName: { in: created } },
      orderBy: { normalizedName: "asc" },
      select: { name: true, normalizedName: true, lastSerial: true },
    });
    const walked = [];
    for await (const page of listIndexProjects(2)) {
      expect(page.length).toBeLessThanOrEqual(2);
      walked.push(...page);
    }
    expect(new Set(walked.map((p) => p.normalizedName)).size).toBe(walked.length);
    expect(walked.filter((p) => created.includes(p.normalizedName))).toEqual(
      mine.map((p) => ({ ...p, lastSerial: Number(p.lastSerial) })),
    );
    expect(await lastSerial()).toBeGreaterThanOrEqual(Math.max(...walked.map((p) => p.lastSerial)));
  });
});

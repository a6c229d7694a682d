// The fast paths (server/fast/*) keep rendered pages and file bytes in memory, and must never serve
// them once a change has been committed, whichever path made it. Changes here go through the real
// domain functions (upload, yank, delete), which bump the project's serial in their transaction;
// the next answer must show each change. The handlers run behind a real HTTP server, as in
// server/main.ts, against the real database.
import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { serveSimplePage } from "@/server/fast/simple-pages";
import { serveProjectPage } from "@/server/fast/project-pages";
import { serveDownload } from "@/server/fast/downloads";
import { deleteFile, deleteRelease, setYanked } from "@/lib/projects/manage";
import { fileUrl } from "@/lib/index-api/queries";
import { withTempDataDir } from "../unit/helpers";
import { publish, publishedProject, wheelFilename } from "../projects/support";
import { answerAsNext, rawRequest, serveFastPath, type FastPathServer } from "../support/fast-path";

withTempDataDir();

/** Renders made by the stand-in for Next, per URL: a page served without one came from memory. */
const renders = new Map<string, number>();

/** Stands in for Next's render of a project page: the project's releases as the database has them now. */
async function renderProjectPage(req: http.IncomingMessage, res: http.ServerResponse): Promise<Buffer> {
  const url = req.url!;
  renders.set(url, (renders.get(url) ?? 0) + 1);
  const name = /^\/project\/([^/?]+)/.exec(url)![1]!;
  const releases = await db().release.findMany({
    where: { project: { normalizedName: name } },
    select: { version: true, yanked: true },
    orderBy: { version: "asc" },
  });
  const list = releases.map((r) => `<li>${r.version}${r.yanked ? " (yanked)" : ""}</li>`).join("");
  return answerAsNext(res, `<ul>${list}</ul>`);
}

let server: FastPathServer;
beforeAll(async () => {
  server = await serveFastPath((req, res) => {
    const url = req.url!;
    const pathname = url.split("?")[0]!;
    return url.startsWith("/simple/")
      ? serveSimplePage(req, res, pathname)
      : url.startsWith("/packages/")
        ? serveDownload(req, res, pathname)
        : serveProjectPage(req, res, url, renderProjectPage);
  });
});
afterAll(() => server.close());

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await rawRequest(server.url + path, { headers });
  return { status: res.status, serial: res.headers["x-pypi-last-serial"] ?? null, text: res.body.toString("utf8") };
}

const serialOf = async (projectId: string) =>
  Number((await db().project.findUniqueOrThrow({ where: { id: projectId }, select: { lastSerial: true } })).lastSerial);
/** The `<a …>` start tag of the link to `filename` on a simple page. */
const anchorOf = (html: string, filename: string) =>
  [...html.matchAll(/<a [^>]*>([^<]*)<\/a>/g)].find((m) => m[1] === filename)?.[0];
const JSON_ACCEPT = { accept: "application/vnd.pypi.simple.v1+json" };

describe("/simple/<project>/ from memory", () => {
  it("shows an upload, a yank and a deletion in the very next answer, in HTML and JSON", async () => {
    const { project, owner, token } = await publishedProject(["1.0"]);
    const page = `/simple/${project.normalizedName}/`;
    const v1 = wheelFilename(project.name, "1.0");
    const v2 = wheelFilename(project.name, "2.0");

    const first = await get(page);
    expect(first.status).toBe(200);
    expect(first.text).toContain(v1);
    expect(Number(first.serial)).toBe(await serialOf(project.id));
    expect((await get(page, JSON_ACCEPT)).text).toContain(v1);

    await publish(token, project.name, "2.0");
    const afterUpload = await get(page);
    expect(afterUpload.text).toContain(v2);
    expect(Number(afterUpload.serial)).toBe(await serialOf(project.id));
    expect((await get(page, JSON_ACCEPT)).text).toContain(v2);

    expect((await setYanked(project.id, "1.0", true, "broken", owner)).ok).toBe(true);
    const yankedPage = (await get(page)).text;
    expect(anchorOf(yankedPage, v1)).toContain('data-yanked="broken"');
    expect(anchorOf(yankedPage, v2)).not.toContain("data-yanked");
    expect(JSON.parse((await get(page, JSON_ACCEPT)).text).files).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ filename: v1, yanked: "broken" }),
        expect.objectContaining({ filename: v2, yanked: false }),
      ]),
    );

    expect((await deleteFile(project.id, v2, v2, owner)).ok).toBe(true);
    expect((await get(page)).text).not.toContain(v2);
    expect((await get(page, JSON_ACCEPT)).text).not.toContain(v2);

    expect((await deleteRelease(project.id, "1.0", "1.0", owner)).ok).toBe(true);
    const empty = await get(page);
    expect(empty.text).not.toContain(v1);
    expect(Number(empty.serial)).toBe(await serialOf(project.id));
  });

  it("keeps answering from memory while the serial is unchanged: the serial alone decides", async () => {
    // A change written without its journal entry (never done by the app) is not seen: proof that
    // the answers above came from memory and were refreshed by the serial, not re-read each time.
    const { project } = await publishedProject(["1.0"]);
    const page = `/simple/${project.normalizedName}/`;
    const before = await get(page);
    await db().release.updateMany({
      where: { projectId: project.id },
      data: { yanked: true, yankedReason: "out of band" },
    });
    expect(await get(page)).toEqual(before);
  });
});

describe("anonymous project pages from memory", () => {
  it("renders once, serves the kept page, and renders again after a yank made elsewhere", async () => {
    const { project, owner, token } = await publishedProject(["1.0"]);
    const url = `/project/${project.normalizedName}`;

    const first = await get(url);
    expect(first).toMatchObject({ status: 200, text: expect.stringContaining("<li>1.0</li>") });
    expect((await get(url)).text).toBe(first.text);
    expect(renders.get(url)).toBe(1);

    expect((await setYanked(project.id, "1.0", true, "", owner)).ok).toBe(true);
    expect((await get(url)).text).toContain("<li>1.0 (yanked)</li>");
    expect(renders.get(url)).toBe(2);

    await publish(token, project.name, "2.0");
    expect((await get(url)).text).toContain("<li>2.0</li>");
    expect(renders.get(url)).toBe(3);

    expect((await deleteRelease(project.id, "2.0", "2.0", owner)).ok).toBe(true);
    expect((await get(url)).text).not.toContain("2.0");
  });

  it("keeps the page linked with a trailing slash too, as the JSON API's package_url links it", async () => {
    const { project } = await publishedProject(["1.0"]);
    const url = `/project/${project.normalizedName}/`;
    const first = await get(url);
    expect(first).toMatchObject({ status: 200, text: expect.stringContaining("<li>1.0</li>") });
    expect((await get(url)).text).toBe(first.text);
    expect(renders.get(url)).toBe(1);
  });
});

describe("downloads from memory", () => {
  it("stops serving a file's bytes as soon as the file is deleted", async () => {
    const { project, owner } = await publishedProject(["1.0"]);
    const filename = wheelFilename(project.name, "1.0");
    const file = await db().file.findFirstOrThrow({
      where: { projectId: project.id },
      select: { sha256: true, metadataSha256: true },
    });
    const url = fileUrl(file.sha256, filename);

    expect((await get(url)).status).toBe(200);
    expect((await get(url)).status).toBe(200); // now held in memory
    expect((await get(`${url}.metadata`)).status).toBe(200);

    expect((await deleteFile(project.id, filename, filename, owner)).ok).toBe(true);
    expect((await get(url)).status).toBe(404);
    expect((await get(`${url}.metadata`)).status).toBe(404);
  });
});

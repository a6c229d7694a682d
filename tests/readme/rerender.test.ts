// Stored READMEs record the renderer version that made them; `npm run admin -- rerender-readmes` brings older ones
// up to date, bumps the serial of every project whose page changed, and does nothing the second time.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { renderDescription, RENDERER_VERSION } from "@/lib/readme";
import { rerenderReadmes } from "@/lib/readme/rerender";
import { suffix, withTempDataDir } from "../unit/helpers";
import { multipart, publisher, upload, uploadForm, wheel } from "../upload/support";

withTempDataDir();

const README = "Fast *things*\n=============\n\nSee `the docs <https://example.org/docs>`_.\n";

/** A project with one release per description, stored as an older renderer left it. */
async function projectWithOldReadmes(
  releases: { description: string | null; html: string | null; renderer: number | null }[],
) {
  const name = `rerender-${suffix()}`;
  const project = await db().project.create({
    data: {
      name,
      normalizedName: name,
      confusableKey: name,
      releases: {
        create: releases.map((r, i) => ({
          version: `${i + 1}.0`,
          canonicalVersion: `${i + 1}`,
          keywords: [],
          classifiers: [],
          requiresDist: [],
          providesExtra: [],
          description: r.description,
          descriptionHtml: r.html,
          descriptionRenderer: r.renderer,
        })),
      },
    },
    select: { id: true, lastSerial: true },
  });
  return project;
}

const releasesOf = (projectId: string) =>
  db().release.findMany({
    where: { projectId },
    orderBy: { canonicalVersion: "asc" },
    select: { descriptionHtml: true, descriptionRenderer: true },
  });
const serialOf = async (projectId: string) =>
  (await db().project.findUniqueOrThrow({ where: { id: projectId } })).lastSerial;

describe("rerenderReadmes", () => {
  it("re-renders descriptions made by an older renderer and bumps the project's serial once", async () => {
    const current = renderDescription(README, null).html;
    const project = await projectWithOldReadmes([
      { description: README, html: "<p>made by a buggy sanitizer</p>", renderer: null },
      { description: README, html: current, renderer: RENDERER_VERSION - 1 },
      { description: null, html: null, renderer: null },
    ]);
    const before = await serialOf(project.id);

    const counts = await rerenderReadmes(2);
    expect(counts.checked).toBeGreaterThanOrEqual(3);
    expect(counts.changed).toBeGreaterThanOrEqual(1);
    expect(await releasesOf(project.id)).toEqual([
      { descriptionHtml: current, descriptionRenderer: RENDERER_VERSION },
      { descriptionHtml: current, descriptionRenderer: RENDERER_VERSION },
      { descriptionHtml: null, descriptionRenderer: RENDERER_VERSION },
    ]);
    const after = await serialOf(project.id);
    expect(after).toBeGreaterThan(before);
    const events = await db().projectEvent.findMany({
      where: { projectId: project.id, tag: "project:readmes-rerendered" },
      select: { details: true },
    });
    expect(events).toEqual([{ details: { releases: 1, renderer: RENDERER_VERSION } }]);

    // A second run finds nothing of this project to do.
    await rerenderReadmes(2);
    expect(await serialOf(project.id)).toBe(after);
  });

  it("leaves a project whose HTML comes out the same without a new serial", async () => {
    const project = await projectWithOldReadmes([
      { description: README, html: renderDescription(README, null).html, renderer: null },
    ]);
    const before = await serialOf(project.id);
    await rerenderReadmes();
    expect(await releasesOf(project.id)).toEqual([
      { descriptionHtml: renderDescription(README, null).html, descriptionRenderer: RENDERER_VERSION },
    ]);
    expect(await serialOf(project.id)).toBe(before);
  });
});

describe("an upload", () => {
  let token = "";
  let scratch = "";
  beforeAll(async () => {
    token = (await publisher()).token;
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "wh-rerender-"));
  });

  it("stores its README rendered, with the renderer version that rendered it", async () => {
    const name = `wh-${suffix()}`;
    const metadata =
      `Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0\n` + `Description-Content-Type: text/x-rst\n\n${README}`;
    const content = await wheel(scratch, { name, version: "1.0", metadata });
    const filename = `${name.replace(/-/g, "_")}-1.0-py3-none-any.whl`;
    expect(await upload(token, multipart(uploadForm({ name, version: "1.0", filename, content })))).toEqual({
      status: 200,
      message: "OK",
    });
    const release = await db().release.findFirstOrThrow({
      where: { project: { normalizedName: name } },
      select: { descriptionHtml: true, descriptionRenderer: true },
    });
    expect(release).toEqual({
      descriptionHtml: renderDescription(README, "text/x-rst").html,
      descriptionRenderer: RENDERER_VERSION,
    });
    expect(release.descriptionHtml).toContain('<a href="https://example.org/docs"');
  });
});

// The project page's data (lib/browse/pages.ts projectPage, one SQL statement) against what the
// database holds, read through Prisma's own mapping: every release field, every file, PEP 440
// order, maintainers in the order they joined.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { projectPage } from "@/lib/browse/pages";
import { getProjectDetail, releaseSelect } from "@/lib/index-api/queries";
import { setYanked } from "@/lib/projects/manage";
import { compareVersions } from "@/lib/packaging/versions";
import { withTempDataDir } from "../unit/helpers";
import { addMember, person, publishedProject } from "../projects/support";

withTempDataDir();

describe("projectPage", () => {
  it("shows every release with its metadata and files, in PEP 440 order, and the maintainers", async () => {
    const { project, owner } = await publishedProject(["1.10", "1.2", "2.0rc1", "1.9"]);
    const maintainer = await person();
    await addMember(project.id, owner, maintainer, "maintainer");
    expect((await setYanked(project.id, "1.9", true, "broken wheel", owner)).ok).toBe(true);

    const page = await projectPage(project.normalizedName);
    const stored = await db().project.findUniqueOrThrow({
      where: { id: project.id },
      select: { lastSerial: true, releases: { select: releaseSelect } },
    });

    expect(page).not.toBeNull();
    expect(page!.name).toBe(project.name);
    expect(page!.normalizedName).toBe(project.normalizedName);
    expect(page!.lastSerial).toBe(Number(stored.lastSerial));
    expect(page!.requireTwoFactor).toBe(false);
    expect(page!.maintainers).toEqual([
      { username: owner.username, role: "owner" },
      { username: maintainer.username, role: "maintainer" },
    ]);
    expect(page!.releases.map((r) => r.version)).toEqual(["1.2", "1.9", "1.10", "2.0rc1"]);
    for (const release of page!.releases) {
      const row = stored.releases.find((r) => r.version === release.version)!;
      const { files, projectUrls, ...fields } = row;
      expect(release).toMatchObject(fields);
      expect(release.createdAt).toBeInstanceOf(Date);
      expect(release.projectUrls).toEqual(projectUrls);
      expect(release.files).toHaveLength(files.length);
      for (const [i, file] of release.files.entries()) {
        const want = files.find((f) => f.filename === file.filename)!;
        expect(file).toEqual({
          ...want,
          size: Number(want.size),
          url: expect.stringMatching(new RegExp(`^/packages/${want.sha256.slice(0, 2)}/.*/${want.filename}$`)),
          version: release.version,
          yanked: release.version === "1.9" ? "broken wheel" : false,
        });
        if (i > 0) expect(release.files[i - 1]!.filename.localeCompare(file.filename)).toBeLessThan(0);
      }
    }
    expect([...page!.releases].sort((a, b) => compareVersions(a.version, b.version))).toEqual(page!.releases);
    // The JSON API's and the manage page's loader reads the same.
    const { requireTwoFactor: _r, maintainers: _m, ...detail } = page!;
    expect(await getProjectDetail(project.normalizedName)).toEqual(detail);
  });

  it("is null for a project that does not exist", async () => {
    expect(await projectPage("no-such-project-here")).toBeNull();
    expect(await getProjectDetail("no-such-project-here")).toBeNull();
  });
});

import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ARCHIVE_ENTRIES, MAX_METADATA_BYTES, inspectSdist, inspectWheel } from "@/lib/packaging/archive";
import {
  WHEEL_FILE,
  makeTempDir,
  pkgInfo,
  truncateFile,
  wheelMembers,
  writeTarGz,
  writeTarGzWithEmptyFiles,
  writeZip,
  writeZipDeclaringEntries,
} from "./build-archives";

let dir: string;

beforeAll(async () => {
  dir = await makeTempDir();
});

afterAll(async () => {
  await fs.promises.rm(dir, { recursive: true, force: true });
});

function messageOf(result: { ok: true } | { ok: false; message: string }): string {
  if (result.ok) throw new Error("expected the archive to be refused");
  return result.message;
}

describe("inspectWheel", () => {
  const expected = { name: "foo_bar", version: "1.0.0" };

  it("returns METADATA from a valid wheel", async () => {
    const file = await writeZip(path.join(dir, "valid.whl"), wheelMembers("foo_bar", "1.0.0", "Foo-Bar"));
    const result = await inspectWheel(file, { ...expected, filename: "foo_bar-1.0.0-py3-none-any.whl" });
    if (!result.ok) throw new Error(result.message);
    expect(result.distInfo).toBe("foo_bar-1.0.0.dist-info");
    expect(result.metadataText).toContain("Name: Foo-Bar\n");
    expect(result.metadata.name).toBe("Foo-Bar");
    expect(result.metadata.version).toBe("1.0.0");
    expect(result.metadata.requiresDist).toEqual(["requests (>=2.0)"]);
    expect(result.wheelText).toBe(WHEEL_FILE);
  });

  it("matches the .dist-info directory after normalisation", async () => {
    const file = await writeZip(path.join(dir, "spelling.whl"), wheelMembers("Foo.Bar", "1.0", "Foo.Bar"));
    expect((await inspectWheel(file, expected)).ok).toBe(true);
  });

  it("refuses a wheel without METADATA", async () => {
    const members = wheelMembers("foo_bar", "1.0.0", "foo-bar");
    delete members["foo_bar-1.0.0.dist-info/METADATA"];
    const file = await writeZip(path.join(dir, "no-metadata.whl"), members);
    const result = await inspectWheel(file, { ...expected, filename: "foo_bar-1.0.0-py3-none-any.whl" });
    expect(messageOf(result)).toBe(
      "Wheel 'foo_bar-1.0.0-py3-none-any.whl' does not contain the required METADATA file: " +
        "foo_bar-1.0.0.dist-info/METADATA",
    );
  });

  it("refuses a wheel without RECORD", async () => {
    const members = wheelMembers("foo_bar", "1.0.0", "foo-bar");
    delete members["foo_bar-1.0.0.dist-info/RECORD"];
    const file = await writeZip(path.join(dir, "no-record.whl"), members);
    expect(messageOf(await inspectWheel(file, expected))).toContain(
      "does not contain the required RECORD file: foo_bar-1.0.0.dist-info/RECORD",
    );
  });

  it("refuses a wheel with no .dist-info directory at all", async () => {
    const file = await writeZip(path.join(dir, "bare.whl"), { "foo_bar/__init__.py": "" });
    expect(messageOf(await inspectWheel(file, expected))).toContain(
      "does not contain the required METADATA file: foo_bar-1.0.0.dist-info/METADATA",
    );
  });

  it("refuses a .dist-info directory for another version or project", async () => {
    const other = await writeZip(path.join(dir, "other-version.whl"), wheelMembers("foo_bar", "2.0", "foo-bar"));
    expect(messageOf(await inspectWheel(other, expected))).toContain(
      "has the .dist-info directory 'foo_bar-2.0.dist-info'; expected 'foo_bar-1.0.0.dist-info'",
    );
    const project = await writeZip(path.join(dir, "other-project.whl"), wheelMembers("baz", "1.0.0", "baz"));
    expect(messageOf(await inspectWheel(project, expected))).toContain("'baz-1.0.0.dist-info'");
  });

  it("refuses more than one .dist-info directory", async () => {
    const file = await writeZip(path.join(dir, "two.whl"), {
      ...wheelMembers("foo_bar", "1.0.0", "foo-bar"),
      "vendored-1.0.dist-info/METADATA": "Name: vendored\n",
    });
    expect(messageOf(await inspectWheel(file, expected))).toContain("multiple .dist-info directories");
  });

  it("refuses an unsupported Wheel-Version", async () => {
    const file = await writeZip(path.join(dir, "future.whl"), {
      ...wheelMembers("foo_bar", "1.0.0", "foo-bar"),
      "foo_bar-1.0.0.dist-info/WHEEL": "Wheel-Version: 2.0\n",
    });
    expect(messageOf(await inspectWheel(file, expected))).toContain("Wheel-Version '2.0' is not supported");
  });

  it("refuses an oversized METADATA without reading it whole", async () => {
    const file = await writeZip(path.join(dir, "huge-metadata.whl"), {
      ...wheelMembers("foo_bar", "1.0.0", "foo-bar"),
      "foo_bar-1.0.0.dist-info/METADATA": Buffer.alloc(MAX_METADATA_BYTES + 1, 0x61),
    });
    expect(messageOf(await inspectWheel(file, expected))).toContain("METADATA is larger than 5 MB");
  });

  it("refuses a truncated zip", async () => {
    const whole = await writeZip(path.join(dir, "whole.whl"), {
      ...wheelMembers("foo_bar", "1.0.0", "foo-bar"),
      "foo_bar/data.bin": crypto.randomBytes(32 * 1024),
    });
    const cut = await truncateFile(whole, path.join(dir, "cut.whl"), 0.6);
    const result = await inspectWheel(cut, { ...expected, filename: "foo_bar-1.0.0-py3-none-any.whl" });
    expect(messageOf(result)).toBe(
      "Invalid distribution file. Wheel 'foo_bar-1.0.0-py3-none-any.whl' is not a valid zip archive.",
    );
  });

  it("refuses a file that is not a zip at all", async () => {
    const file = path.join(dir, "not-a-zip.whl");
    await fs.promises.writeFile(file, "MZ this is an executable, honest\n".repeat(100));
    expect(messageOf(await inspectWheel(file, expected))).toMatch(
      /^Invalid distribution file\..*not a valid zip archive\.$/,
    );
  });

  it("refuses a wheel that is a decompression bomb", async () => {
    const file = await writeZip(path.join(dir, "bomb.whl"), {
      ...wheelMembers("foo_bar", "1.0.0", "foo-bar"),
      "foo_bar/zeros.bin": Buffer.alloc(65 * 1024 * 1024),
    });
    expect(messageOf(await inspectWheel(file, expected))).toContain("expands to more than 50 times its size");
  });

  it("lets I/O errors on our own temporary file escape", async () => {
    await expect(inspectWheel(path.join(dir, "missing.whl"), expected)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("refuses a zip declaring more members than allowed, before listing any", async () => {
    // 4 billion members claimed in 98 bytes: listing them would never end.
    const file = await writeZipDeclaringEntries(path.join(dir, "claims.whl"), 2 ** 32);
    expect(messageOf(await inspectWheel(file, expected))).toBe(
      "Invalid distribution file. " +
        `Wheel 'claims.whl' has more than ${MAX_ARCHIVE_ENTRIES.toLocaleString("en")} members.`,
    );
    const justOver = await writeZipDeclaringEntries(path.join(dir, "just-over.whl"), MAX_ARCHIVE_ENTRIES + 1);
    expect(messageOf(await inspectWheel(justOver, expected))).toContain("has more than 100,000 members");
  });

  it("refuses a METADATA holding a NUL character", async () => {
    const file = await writeZip(path.join(dir, "nul.whl"), {
      ...wheelMembers("foo_bar", "1.0.0", "foo-bar"),
      "foo_bar-1.0.0.dist-info/METADATA":
        "Metadata-Version: 2.1\nName: foo-bar\nVersion: 1.0.0\nSummary: \x00\x01\x02\n",
    });
    expect(messageOf(await inspectWheel(file, expected))).toBe(
      "Invalid distribution file. foo_bar-1.0.0.dist-info/METADATA contains a NUL character (\\0).",
    );
  });

  describe("tags", () => {
    const wheelWith = (name: string, tagLines: string[]) =>
      writeZip(path.join(dir, name), {
        ...wheelMembers("foo_bar", "1.0.0", "foo-bar"),
        "foo_bar-1.0.0.dist-info/WHEEL":
          "Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: false\n" + tagLines.map((t) => `Tag: ${t}\n`).join(""),
      });

    it("accepts a wheel whose name and WHEEL list the same tags, compressed sets expanded", async () => {
      const file = await wheelWith("tags-ok.whl", ["py2-none-any", "py3-none-any"]);
      const result = await inspectWheel(file, {
        ...expected,
        tags: { python: "py2.py3", abi: "none", platform: "any" },
      });
      expect(result.ok).toBe(true);
      const manylinux = await wheelWith("tags-ml.whl", [
        "cp312-cp312-manylinux_2_17_x86_64",
        "cp312-cp312-manylinux2014_x86_64",
      ]);
      const tags = { python: "cp312", abi: "cp312", platform: "manylinux_2_17_x86_64.manylinux2014_x86_64" };
      expect((await inspectWheel(manylinux, { ...expected, tags })).ok).toBe(true);
    });

    it("refuses a name whose tags WHEEL does not list", async () => {
      const file = await wheelWith("tags-evil.whl", ["py3-none-any"]);
      const result = await inspectWheel(file, {
        ...expected,
        filename: "foo_bar-1.0.0-cp999-evil-linux.whl",
        tags: { python: "cp999", abi: "evil", platform: "linux" },
      });
      expect(messageOf(result)).toBe(
        "Invalid wheel 'foo_bar-1.0.0-cp999-evil-linux.whl': the tags in its name (cp999-evil-linux) " +
          "differ from the Tag lines of foo_bar-1.0.0.dist-info/WHEEL (py3-none-any).",
      );
    });

    it.each([
      ["a tag more in WHEEL", ["py3-none-any", "cp312-cp312-win_amd64"]],
      ["a tag fewer in WHEEL", ["py3-none-any"]],
      ["a compressed Tag line", ["py2.py3-none-any"]],
      ["no Tag line at all", []],
    ])("refuses %s", async (_what, lines) => {
      const file = await wheelWith(`tags-${lines.length}-${lines.join("_")}.whl`, lines);
      const tags =
        lines.length === 1 && lines[0] === "py3-none-any"
          ? { python: "py2.py3", abi: "none", platform: "any" }
          : { python: "py3", abi: "none", platform: "any" };
      expect(messageOf(await inspectWheel(file, { ...expected, tags }))).toContain("differ from the Tag lines");
    });
  });
});

describe("inspectSdist", () => {
  const sdistMembers = {
    "foo-bar-1.0/PKG-INFO": pkgInfo("foo-bar", "1.0"),
    "foo-bar-1.0/setup.py": "from setuptools import setup\nsetup()\n",
    "foo-bar-1.0/foo_bar.egg-info/PKG-INFO": pkgInfo("nested-copy", "9.9"),
  };

  it("returns PKG-INFO from a valid .tar.gz", async () => {
    const file = await writeTarGz(path.join(dir, "valid.tar.gz"), sdistMembers);
    const result = await inspectSdist(file, "foo-bar-1.0.tar.gz");
    if (!result.ok) throw new Error(result.message);
    expect(result.pkgInfoPath).toBe("foo-bar-1.0/PKG-INFO");
    expect(result.metadataText).toBe(pkgInfo("foo-bar", "1.0"));
    expect(result.metadata).toMatchObject({ name: "foo-bar", version: "1.0", summary: "An sdist" });
  });

  it("prefers the top-level directory named like the file", async () => {
    const file = await writeTarGz(path.join(dir, "two-tops.tar.gz"), {
      "aaa-first/PKG-INFO": pkgInfo("decoy", "0.1"),
      "foo-1.0/PKG-INFO": pkgInfo("foo", "1.0"),
    });
    const result = await inspectSdist(file, "foo-1.0.tar.gz");
    expect(result).toMatchObject({ ok: true, pkgInfoPath: "foo-1.0/PKG-INFO", metadata: { name: "foo" } });
  });

  it("refuses a .tar.gz whose only PKG-INFO is nested deeper", async () => {
    const file = await writeTarGz(path.join(dir, "no-pkg-info.tar.gz"), {
      "foo-1.0/setup.py": "",
      "foo-1.0/foo.egg-info/PKG-INFO": pkgInfo("foo", "1.0"),
    });
    expect(messageOf(await inspectSdist(file, "foo-1.0.tar.gz"))).toBe(
      "Source distribution 'foo-1.0.tar.gz' does not contain the required PKG-INFO file: foo-1.0/PKG-INFO",
    );
  });

  it("refuses a truncated .tar.gz even when PKG-INFO comes before the cut", async () => {
    const whole = await writeTarGz(path.join(dir, "whole.tar.gz"), {
      "foo-1.0/PKG-INFO": pkgInfo("foo", "1.0"),
      "foo-1.0/data.bin": crypto.randomBytes(64 * 1024),
    });
    const cut = await truncateFile(whole, path.join(dir, "cut.tar.gz"), 0.7);
    expect(messageOf(await inspectSdist(cut, "foo-1.0.tar.gz"))).toBe(
      "Invalid distribution file. Source distribution 'foo-1.0.tar.gz' is not a valid .tar.gz archive; " +
        "it may be truncated or corrupt.",
    );
  });

  it("refuses a .tar.gz that is not gzip, or gzip that is not tar", async () => {
    const plain = path.join(dir, "plain.tar.gz");
    await fs.promises.writeFile(plain, "just text\n");
    expect(messageOf(await inspectSdist(plain, "foo-1.0.tar.gz"))).toContain("not a valid .tar.gz archive");

    const gzText = path.join(dir, "gz-text.tar.gz");
    await fs.promises.writeFile(gzText, zlib.gzipSync(Buffer.from("not a tar archive\n".repeat(100))));
    expect(messageOf(await inspectSdist(gzText, "foo-1.0.tar.gz"))).toContain("not a valid .tar.gz archive");
  });

  it("refuses a .tar.gz that is a decompression bomb", async () => {
    const file = await writeTarGz(path.join(dir, "bomb.tar.gz"), {
      "foo-1.0/PKG-INFO": pkgInfo("foo", "1.0"),
      "foo-1.0/zeros.bin": Buffer.alloc(65 * 1024 * 1024),
    });
    expect(messageOf(await inspectSdist(file, "foo-1.0.tar.gz"))).toContain("expands to more than 50 times its size");
  });

  it("refuses the probe's 1 GiB .tar.gz of zeros by its expansion", async () => {
    // Sixteen gzip members of 64 MiB of zeros each: one valid gzip stream of 1 GiB, about 1 MB packed.
    const member = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const file = path.join(dir, "zeros-1.0.tar.gz");
    await fs.promises.writeFile(file, Buffer.concat(Array.from({ length: 16 }, () => member)));
    expect(messageOf(await inspectSdist(file, "zeros-1.0.tar.gz"))).toBe(
      "Invalid distribution file. Source distribution 'zeros-1.0.tar.gz' expands to more than 50 times its size.",
    );
  });

  it("refuses a .tar.gz with more members than allowed", async () => {
    const file = await writeTarGzWithEmptyFiles(
      path.join(dir, "crowded-1.0.tar.gz"),
      "crowded-1.0",
      MAX_ARCHIVE_ENTRIES,
      {
        "crowded-1.0/PKG-INFO": pkgInfo("crowded", "1.0"),
      },
    );
    expect(messageOf(await inspectSdist(file, "crowded-1.0.tar.gz"))).toBe(
      "Invalid distribution file. Source distribution 'crowded-1.0.tar.gz' has more than 100,000 members.",
    );
  });

  it("refuses a PKG-INFO holding a NUL character", async () => {
    const file = await writeTarGz(path.join(dir, "nul-1.0.tar.gz"), {
      "nul-1.0/PKG-INFO": `${pkgInfo("nul", "1.0")}Author: a\x00b\n`,
    });
    expect(messageOf(await inspectSdist(file, "nul-1.0.tar.gz"))).toBe(
      "Invalid distribution file. nul-1.0/PKG-INFO contains a NUL character (\\0).",
    );
  });

  it("returns PKG-INFO from a .zip sdist", async () => {
    const file = await writeZip(path.join(dir, "valid-sdist.zip"), sdistMembers);
    const result = await inspectSdist(file, "foo-bar-1.0.zip");
    expect(result).toMatchObject({ ok: true, pkgInfoPath: "foo-bar-1.0/PKG-INFO", metadata: { name: "foo-bar" } });
  });

  it("refuses a .zip sdist without PKG-INFO, and a truncated one", async () => {
    const bare = await writeZip(path.join(dir, "bare-sdist.zip"), { "foo-1.0/setup.py": "" });
    expect(messageOf(await inspectSdist(bare, "foo-1.0.zip"))).toContain("does not contain the required PKG-INFO file");

    const whole = await writeZip(path.join(dir, "whole-sdist.zip"), {
      "foo-1.0/PKG-INFO": pkgInfo("foo", "1.0"),
      "foo-1.0/data.bin": crypto.randomBytes(16 * 1024),
    });
    const cut = await truncateFile(whole, path.join(dir, "cut-sdist.zip"), 0.5);
    expect(messageOf(await inspectSdist(cut, "foo-1.0.zip"))).toContain("is not a valid zip archive");
  });

  it("reads a Latin-1 PKG-INFO from an old sdist", async () => {
    const file = await writeTarGz(path.join(dir, "latin1.tar.gz"), {
      "old-0.1/PKG-INFO": Buffer.from("Metadata-Version: 1.0\nName: old\nVersion: 0.1\nAuthor: Jos\xe9\n", "latin1"),
    });
    const result = await inspectSdist(file, "old-0.1.tar.gz");
    expect(result).toMatchObject({ ok: true, metadata: { author: "José" } });
  });

  it("refuses an unknown extension without opening the file", async () => {
    expect(messageOf(await inspectSdist(path.join(dir, "does-not-matter"), "foo-1.0.tar.bz2"))).toContain(
      "Invalid file extension",
    );
  });
});

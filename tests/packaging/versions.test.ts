import { describe, expect, it } from "vitest";
import {
  canonicalizeVersion,
  compareVersions,
  isLocalVersion,
  isPrerelease,
  parseVersion,
  validateUploadVersion,
} from "@/lib/packaging/versions";

describe("parseVersion", () => {
  it.each([
    ["1.0", "1.0"],
    ["01.02", "1.2"],
    ["V1.0-ALPHA", "1.0a0"],
    ["1.0-1", "1.0.post1"],
    ["1.0.0-rc.1", "1.0.0rc1"],
    ["1!2.0.DEV3", "1!2.0.dev3"],
    ["2.0c1", "2.0rc1"],
    [" 1.0 ", "1.0"],
    ["1.0+Ubuntu-1", "1.0+ubuntu.1"],
  ])("%j → %s", (input, expected) => {
    expect(parseVersion(input)).toBe(expected);
  });

  it.each(["", "abc", "1.0.x", "1..0", "1.0-foo", "1.0 beta", "99999999999999999999.0"])("refuses %j", (input) => {
    expect(parseVersion(input)).toBeNull();
  });
});

describe("validateUploadVersion", () => {
  it("returns the normal form", () => {
    expect(validateUploadVersion("1.0-1")).toEqual({ ok: true, version: "1.0.post1" });
  });

  it("refuses local versions", () => {
    const result = validateUploadVersion("1.0+local");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain("Can't use PEP 440 local versions.");
    expect(isLocalVersion("1.0+local")).toBe(true);
    expect(isLocalVersion("1.0")).toBe(false);
  });

  it("refuses invalid versions, naming the value", () => {
    const result = validateUploadVersion("1.0-foo");
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.message).toMatch(/^'1\.0-foo' is an invalid value for Version\. Error: /);
  });

  it("refuses a missing version", () => {
    expect(validateUploadVersion("")).toMatchObject({ ok: false, message: expect.stringContaining("required") });
    expect(validateUploadVersion(undefined)).toMatchObject({ ok: false });
  });

  it("escapes control characters in the echoed value", () => {
    const result = validateUploadVersion("1.0\r\nX-Injected: yes");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).not.toMatch(/[\r\n]/);
  });
});

describe("compareVersions", () => {
  it("sorts in PEP 440 order", () => {
    const shuffled = [
      "1.0",
      "1!0.1",
      "1.0.post1",
      "1.0a1",
      "2.0",
      "1.0.dev0",
      "0.9",
      "1.0rc1",
      "1.0a1.dev1",
      "1.0b2",
      "1.0.post1.dev0",
    ];
    expect([...shuffled].sort(compareVersions)).toEqual([
      "0.9",
      "1.0.dev0",
      "1.0a1.dev1",
      "1.0a1",
      "1.0b2",
      "1.0rc1",
      "1.0",
      "1.0.post1.dev0",
      "1.0.post1",
      "2.0",
      "1!0.1",
    ]);
  });

  it("treats trailing zeros as equal, like PEP 440", () => {
    expect(compareVersions("1.0", "1.0.0")).toBe(0);
    expect(compareVersions("1.0", "1.0.1")).toBe(-1);
    expect(compareVersions("1.10", "1.9")).toBe(1);
  });

  it("sorts invalid versions first instead of throwing", () => {
    expect(["1.0", "junk", "0.1"].sort(compareVersions)).toEqual(["junk", "0.1", "1.0"]);
  });
});

describe("isPrerelease", () => {
  it.each([
    ["1.0a1", true],
    ["1.0rc2", true],
    ["1.0.dev0", true],
    ["1.0", false],
    ["1.0.post1", false],
    ["junk", false],
  ])("%s → %s", (version, expected) => {
    expect(isPrerelease(version)).toBe(expected);
  });
});

describe("canonicalizeVersion", () => {
  it.each([
    ["1.0.0", "1"],
    ["1.0", "1"],
    ["0.0", "0"],
    ["1.10", "1.10"],
    ["2.0.1", "2.0.1"],
    ["1.0a1", "1a1"],
    ["1!2.0.0.post1", "1!2.post1"],
  ])("%s → %s", (input, expected) => {
    expect(canonicalizeVersion(input)).toBe(expected);
  });
});

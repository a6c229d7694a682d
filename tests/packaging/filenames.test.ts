import { describe, expect, it } from "vitest";
import { parseSdistFilename, parseWheelFilename, validateFilename } from "@/lib/packaging/filenames";

function check(filename: string, filetype: string, projectName: string, version: string) {
  return validateFilename({ filename, filetype, projectName, version });
}

function messageOf(result: ReturnType<typeof check>): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.parsed)}`);
  return result.message;
}

const PEP_527 = "See https://www.python.org/dev/peps/pep-0527 for more information.";

describe("parseWheelFilename", () => {
  it("parses name, version and tags", () => {
    expect(parseWheelFilename("foo_bar-1.0.0-py2.py3-none-any.whl")).toEqual({
      kind: "bdist_wheel",
      name: "foo_bar",
      version: "1.0.0",
      normalizedName: "foo-bar",
      normalizedVersion: "1.0.0",
      tags: { python: "py2.py3", abi: "none", platform: "any" },
    });
  });

  it("parses a build tag", () => {
    const parsed = parseWheelFilename("numpy-1.26.4-1-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    expect(parsed?.build).toBe("1");
    expect(parsed?.tags).toEqual({
      python: "cp312",
      abi: "cp312",
      platform: "manylinux_2_17_x86_64.manylinux2014_x86_64",
    });
  });

  it.each([
    "foo-1.0-py3-any.whl",
    "foo-1.0-x1-py3-none-any.whl",
    "foo__bar-1.0-py3-none-any.whl",
    "foo-notaversion-py3-none-any.whl",
    "foo-1.0-py3-none-any.zip",
    "-1.0-py3-none-any.whl",
  ])("refuses %s", (filename) => {
    expect(parseWheelFilename(filename)).toBeNull();
  });
});

describe("parseSdistFilename", () => {
  it("splits PEP 625 names at the last dash", () => {
    expect(parseSdistFilename("foo_bar-1.0.tar.gz")).toMatchObject({
      name: "foo_bar",
      version: "1.0",
      normalizedName: "foo-bar",
      extension: ".tar.gz",
    });
  });

  it("accepts the project's own spelling with dashes", () => {
    expect(parseSdistFilename("Foo-Bar-2.0.zip", "foo.bar")).toMatchObject({
      name: "Foo-Bar",
      version: "2.0",
      extension: ".zip",
    });
  });

  it("uses the project name to read a dash inside the version", () => {
    expect(parseSdistFilename("foo-1.0-1.tar.gz", "foo")).toMatchObject({
      name: "foo",
      version: "1.0-1",
      normalizedVersion: "1.0.post1",
    });
    // Without the project name the split is ambiguous, and the last dash wins as in `packaging`.
    expect(parseSdistFilename("foo-1.0-1.tar.gz")).toMatchObject({ name: "foo-1.0", version: "1" });
  });

  it("refuses a name of another project, and non-sdist extensions", () => {
    expect(parseSdistFilename("bar-1.0.tar.gz", "foo")).toBeNull();
    expect(parseSdistFilename("foo-1.0.tar.bz2", "foo")).toBeNull();
    expect(parseSdistFilename("foo.tar.gz")).toBeNull();
  });
});

describe("validateFilename", () => {
  it("accepts a matching wheel and returns it parsed", () => {
    const result = check("Foo_Bar-1.0-py3-none-any.whl", "bdist_wheel", "foo.bar", "1.0");
    expect(result).toMatchObject({ ok: true, parsed: { kind: "bdist_wheel", normalizedName: "foo-bar" } });
  });

  it.each(["foo_bar-1.0.tar.gz", "Foo.Bar-1.0.tar.gz", "foo-bar-1.0.tar.gz", "foo_bar-1.0.zip"])(
    "accepts the sdist %s for Foo.Bar",
    (filename) => {
      expect(check(filename, "sdist", "Foo.Bar", "1.0")).toMatchObject({ ok: true, parsed: { kind: "sdist" } });
    },
  );

  it("accepts versions equal under PEP 440", () => {
    expect(check("foo-1.0.0.tar.gz", "sdist", "foo", "1.0").ok).toBe(true);
    expect(check("foo-1.0-1.tar.gz", "sdist", "foo", "1.0.post1").ok).toBe(true);
  });

  it("refuses a filename for another project", () => {
    expect(messageOf(check("bar-1.0-py3-none-any.whl", "bdist_wheel", "foo", "1.0"))).toBe(
      "Start filename for 'foo' with 'foo'.",
    );
    expect(messageOf(check("bar-1.0.tar.gz", "sdist", "Foo.Bar", "1.0"))).toBe(
      "Start filename for 'Foo.Bar' with 'foo_bar'.",
    );
    // Confusable is not equal: the filename must normalise to exactly the project's name.
    expect(messageOf(check("foobar-1.0.tar.gz", "sdist", "foo-bar", "1.0"))).toBe(
      "Start filename for 'foo-bar' with 'foo_bar'.",
    );
  });

  it("refuses a version that differs from the form's", () => {
    expect(messageOf(check("foo-2.0.tar.gz", "sdist", "foo", "1.0"))).toBe(
      "Version in filename should be '1.0' not '2.0'.",
    );
    expect(messageOf(check("foo-2.0-py3-none-any.whl", "bdist_wheel", "foo", "1.0"))).toBe(
      "Version in filename should be '1.0' not '2.0'.",
    );
    expect(messageOf(check("foo-1.0+local-py3-none-any.whl", "bdist_wheel", "foo", "1.0"))).toBe(
      "Version in filename should be '1.0' not '1.0+local'.",
    );
  });

  it("refuses an sdist whose version part is not a version", () => {
    expect(messageOf(check("foo-latest.tar.gz", "sdist", "foo", "1.0"))).toBe(
      "Invalid source distribution filename: 'foo-latest.tar.gz'",
    );
  });

  it("refuses malformed wheel names with packaging's messages", () => {
    expect(messageOf(check("foo-1.0-py3-any.whl", "bdist_wheel", "foo", "1.0"))).toBe(
      "Invalid wheel filename (wrong number of parts): 'foo-1.0-py3-any.whl'",
    );
    expect(messageOf(check("foo-1.0-x1-py3-none-any.whl", "bdist_wheel", "foo", "1.0"))).toContain(
      "Invalid build number: x1",
    );
  });

  it("refuses extensions outside PEP 527", () => {
    expect(messageOf(check("foo-1.0.exe", "bdist_wheel", "foo", "1.0"))).toBe(
      `Invalid file extension: File extension '.exe' is not allowed. Use .tar.gz, .whl or .zip extension. ${PEP_527}`,
    );
    expect(messageOf(check("foo-1.0.tar.bz2", "sdist", "foo", "1.0"))).toContain(
      "File extension '.tar.bz2' is not allowed.",
    );
    expect(messageOf(check("foo-1.0", "sdist", "foo", "1.0"))).toBe(
      `Invalid file extension: Use .tar.gz, .whl or .zip extension. ${PEP_527}`,
    );
  });

  it.each([
    ["sdist", "foo-1.0-py3-none-any.whl", ".whl"],
    ["bdist_wheel", "foo-1.0.tar.gz", ".tar.gz"],
    ["bdist_wheel", "foo-1.0.zip", ".zip"],
  ])("refuses filetype %s with %s", (filetype, filename, extension) => {
    expect(messageOf(check(filename, filetype, "foo", "1.0"))).toBe(
      `Invalid file extension: Extension ${extension} is invalid for filetype ${filetype}. ${PEP_527}`,
    );
  });

  it("refuses filetypes that are not sdist or bdist_wheel", () => {
    expect(messageOf(check("foo-1.0-py3.8.egg", "bdist_egg", "foo", "1.0"))).toMatch(/^Invalid value for filetype/);
  });

  it.each([
    ["../foo-1.0.tar.gz", "Cannot upload a file with '/' or '\\' in the name."],
    ["..\\foo-1.0.tar.gz", "Cannot upload a file with '/' or '\\' in the name."],
    [".foo-1.0.tar.gz", "Cannot upload a file whose name starts with '.'."],
    ["foo-1.0\n.tar.gz", "non-printable characters"],
    ["foo 1.0.tar.gz", "characters other than ASCII letters"],
    ["foo%2F-1.0.tar.gz", "characters other than ASCII letters"],
    ["", "no name"],
    [`${"a".repeat(250)}-1.0.tar.gz`, "at most 255 characters"],
  ])("refuses the unsafe filename %j", (filename, expected) => {
    expect(messageOf(check(filename, "sdist", "foo", "1.0"))).toContain(expected);
  });
});

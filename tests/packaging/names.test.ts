import { describe, expect, it } from "vitest";
import {
  MAX_PROJECT_NAME_LENGTH,
  confusableSkeleton,
  filenameSafeName,
  isValidProjectName,
  normalizeName,
} from "@/lib/packaging/names";

describe("normalizeName", () => {
  it.each([
    ["Foo.Bar", "foo-bar"],
    ["foo_bar", "foo-bar"],
    ["FOO--_.bar", "foo-bar"],
    ["Django", "django"],
    ["zope.interface", "zope-interface"],
    ["a-b-c", "a-b-c"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });
});

describe("isValidProjectName", () => {
  it.each(["a", "foo", "Foo.Bar_baz-1", "1password", "x".repeat(MAX_PROJECT_NAME_LENGTH)])("accepts %s", (name) => {
    expect(isValidProjectName(name)).toBe(true);
  });

  it.each(["", "-foo", "foo-", ".foo", "foo_", "foo bar", "fóo", "foo/bar", "x".repeat(MAX_PROJECT_NAME_LENGTH + 1)])(
    "refuses %j",
    (name) => {
      expect(isValidProjectName(name)).toBe(false);
    },
  );
});

describe("filenameSafeName", () => {
  it("normalises and uses underscores", () => {
    expect(filenameSafeName("Foo.Bar-baz")).toBe("foo_bar_baz");
  });
});

describe("confusableSkeleton", () => {
  it("makes separator and case variants collide", () => {
    const keys = new Set(
      ["Foo.Bar", "foo-bar", "foo_bar", "foobar", "FOOBAR", "f00bar", "F0O_BAR", "foo--bar"].map(confusableSkeleton),
    );
    expect([...keys]).toEqual(["f00bar"]);
  });

  it("maps l, L, i, I to 1 and o, O to 0", () => {
    expect(confusableSkeleton("Pillow")).toBe("p1110w");
    expect(confusableSkeleton("pi11ow")).toBe(confusableSkeleton("Pillow"));
    expect(confusableSkeleton("ILoveYou")).toBe(confusableSkeleton("1l0vey0u"));
  });

  it("keeps names that differ by something else apart", () => {
    expect(confusableSkeleton("requests")).not.toBe(confusableSkeleton("reqvests"));
    expect(confusableSkeleton("fOo-8ar")).not.toBe(confusableSkeleton("foobar"));
    expect(confusableSkeleton("foo")).not.toBe(confusableSkeleton("foo2"));
  });

  it("maps the letter pairs that read as one letter, for project names as for usernames", () => {
    expect(confusableSkeleton("rnaria")).toBe(confusableSkeleton("maria"));
    expect(confusableSkeleton("vvheel")).toBe(confusableSkeleton("wheel"));
    expect(confusableSkeleton("r-n")).toBe(confusableSkeleton("m"));
    // What the pairs become leaves none behind: a key never holds rn or vv.
    for (const name of ["rrnn", "rnrn", "vvv", "vvvv", "rnvvrn"]) expect(confusableSkeleton(name)).not.toMatch(/rn|vv/);
  });
});

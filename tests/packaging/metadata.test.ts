import { describe, expect, it } from "vitest";
import { parseMetadata, validateMetadataAgainstForm } from "@/lib/packaging/metadata";

// Shaped like the METADATA that setuptools writes for pypa/sampleproject.
const METADATA_2_1 = `Metadata-Version: 2.1
Name: Sample-Project
Version: 2.3.0
Summary: A sample Python project
Home-page: https://github.com/pypa/sampleproject
Author: A. Random Developer
Author-email: author@example.com
License: MIT
Project-URL: Bug Reports, https://github.com/pypa/sampleproject/issues
Project-URL: Say Thanks!, http://saythanks.io/to/example
Project-URL: Source, https://github.com/pypa/sampleproject/
Keywords: sample,setuptools, development
Classifier: Development Status :: 3 - Alpha
Classifier: Intended Audience :: Developers
Classifier: License :: OSI Approved :: MIT License
Classifier: Programming Language :: Python :: 3 :: Only
Requires-Python: >=3.7, <4
Description-Content-Type: text/markdown
License-File: LICENSE.txt
Requires-Dist: peppercorn
Requires-Dist: requests[security,socks] (>=2.8.1) ; python_version < "3.8"
Provides-Extra: dev
Requires-Dist: check-manifest ; extra == 'dev'
Provides-Extra: test
Requires-Dist: coverage ; extra == 'test'
X-Unknown-Header: ignored

# A sample Python project

A sample project that exists as an aid to the [Python Packaging User Guide][guide].

Installation:

    pip install sampleproject

Key: value lines in the body are not headers.
`;

describe("parseMetadata", () => {
  const meta = parseMetadata(METADATA_2_1);

  it("reads single-valued fields", () => {
    expect(meta).toMatchObject({
      metadataVersion: "2.1",
      name: "Sample-Project",
      version: "2.3.0",
      summary: "A sample Python project",
      homePage: "https://github.com/pypa/sampleproject",
      author: "A. Random Developer",
      authorEmail: "author@example.com",
      license: "MIT",
      requiresPython: ">=3.7, <4",
      descriptionContentType: "text/markdown",
      maintainer: null,
      licenseExpression: null,
    });
  });

  it("reads the body as the description, keeping blank lines and indentation", () => {
    expect(meta.description).toBe(
      [
        "# A sample Python project",
        "",
        "A sample project that exists as an aid to the [Python Packaging User Guide][guide].",
        "",
        "Installation:",
        "",
        "    pip install sampleproject",
        "",
        "Key: value lines in the body are not headers.",
      ].join("\n"),
    );
  });

  it("collects multi-valued fields in order", () => {
    expect(meta.classifiers).toEqual([
      "Development Status :: 3 - Alpha",
      "Intended Audience :: Developers",
      "License :: OSI Approved :: MIT License",
      "Programming Language :: Python :: 3 :: Only",
    ]);
    expect(meta.requiresDist).toEqual([
      "peppercorn",
      'requests[security,socks] (>=2.8.1) ; python_version < "3.8"',
      "check-manifest ; extra == 'dev'",
      "coverage ; extra == 'test'",
    ]);
    expect(meta.providesExtra).toEqual(["dev", "test"]);
    expect(meta.licenseFiles).toEqual(["LICENSE.txt"]);
    expect(meta.keywords).toEqual(["sample", "setuptools", "development"]);
    expect(meta.projectUrls).toEqual([
      { label: "Bug Reports", url: "https://github.com/pypa/sampleproject/issues" },
      { label: "Say Thanks!", url: "http://saythanks.io/to/example" },
      { label: "Source", url: "https://github.com/pypa/sampleproject/" },
    ]);
  });

  it("reads an old PKG-INFO with an escaped Description header, CRLF and placeholders", () => {
    const text = [
      "Metadata-Version: 1.1",
      "Name: oldpkg",
      "Version: 0.1",
      "Summary: A summary that a writer",
      "  folded over two lines",
      "Home-page: UNKNOWN",
      "Author: José",
      "License: Copyright (c) 2010",
      "       |",
      "       |Permission is hereby granted.",
      "Description: Old Package",
      "        ===========",
      "        ",
      "        Indented:",
      "        ",
      "            code block",
      "Keywords: web framework  wsgi",
      "classifier: Framework :: Django",
      "Platform: UNKNOWN",
      "Platform: linux",
      "",
    ].join("\r\n");
    const old = parseMetadata(text);
    expect(old.summary).toBe("A summary that a writer folded over two lines");
    expect(old.homePage).toBeNull();
    expect(old.author).toBe("José");
    expect(old.license).toBe("Copyright (c) 2010\n\nPermission is hereby granted.");
    expect(old.description).toBe("Old Package\n===========\n\nIndented:\n\n    code block");
    expect(old.keywords).toEqual(["web", "framework", "wsgi"]);
    expect(old.classifiers).toEqual(["Framework :: Django"]);
    expect(old.platform).toEqual(["linux"]);
  });

  it("prefers the body over a placeholder Description header", () => {
    expect(parseMetadata("Name: x\nDescription: UNKNOWN\n\nReal text.\n").description).toBe("Real text.");
    expect(parseMetadata("Name: x\nDescription:\n        First line\n        second\n").description).toBe(
      "First line\nsecond",
    );
  });

  it("returns empty fields for empty input instead of throwing", () => {
    const empty = parseMetadata("");
    expect(empty.name).toBeNull();
    expect(empty.classifiers).toEqual([]);
    expect(empty.description).toBeNull();
  });

  it("treats a Project-URL without a comma as a label only, as packaging does", () => {
    expect(parseMetadata("Project-URL: Homepage\n").projectUrls).toEqual([{ label: "Homepage", url: "" }]);
  });
});

describe("validateMetadataAgainstForm", () => {
  const meta = parseMetadata(METADATA_2_1);

  it("accepts equal name and version after normalisation", () => {
    expect(validateMetadataAgainstForm(meta, { name: "sample_project", version: "2.3" })).toEqual([]);
  });

  it("reports a different name", () => {
    const problems = validateMetadataAgainstForm(meta, { name: "other-project", version: "2.3.0" });
    expect(problems).toEqual([
      "Name in the distribution's metadata ('Sample-Project') does not match the name of the upload ('other-project').",
    ]);
  });

  it("reports a different version", () => {
    const problems = validateMetadataAgainstForm(meta, { name: "Sample-Project", version: "2.4.0" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("Version in the distribution's metadata ('2.3.0') does not match");
  });

  it.each(["1.0", "1.1", "1.2", "2.0", "2.1", "2.2", "2.3", "2.4", "2.5"])(
    "accepts Metadata-Version %s, as PyPI does",
    (version) => {
      const text = METADATA_2_1.replace("Metadata-Version: 2.1", `Metadata-Version: ${version}`);
      expect(validateMetadataAgainstForm(parseMetadata(text), { name: "sample_project", version: "2.3" })).toEqual([]);
    },
  );

  it.each(["99.0", "3.0", "2.9", "1", "two"])("refuses Metadata-Version %s, which PyPI does not accept", (version) => {
    const text = METADATA_2_1.replace("Metadata-Version: 2.1", `Metadata-Version: ${version}`);
    expect(validateMetadataAgainstForm(parseMetadata(text), { name: "sample_project", version: "2.3" })).toEqual([
      `Metadata-Version '${version}' is not supported: use one of 1.0, 1.1, 1.2, 2.0, 2.1, 2.2, 2.3, 2.4, 2.5.`,
    ]);
  });

  describe("Metadata-Version 2.5: Import-Name and Import-Namespace (PEP 794)", () => {
    const with25 = (fields: string, version = "2.5") =>
      parseMetadata(METADATA_2_1.replace("Metadata-Version: 2.1\n", `Metadata-Version: ${version}\n${fields}`));
    const check = (meta: ReturnType<typeof parseMetadata>) =>
      validateMetadataAgainstForm(meta, { name: "sample_project", version: "2.3" });

    it("reads and accepts them as PyPI does, the private option and an empty value included", () => {
      const meta = with25(
        "Import-Name: sample\nImport-Name: sample._impl; private\nImport-Name: ñandú\n" +
          "Import-Namespace: company\nImport-Name:\n",
      );
      expect(meta.importNames).toEqual(["sample", "sample._impl; private", "ñandú"]);
      expect(meta.importNamespaces).toEqual(["company"]);
      expect(check(meta)).toEqual([]);
    });

    it.each([
      ["Import-Name: 9lives\n", "Import-Name '9lives' is not a dotted path of Python identifiers ('9lives')."],
      ["Import-Name: sample..x\n", "Import-Name 'sample..x' is not a dotted path of Python identifiers ('')."],
      [
        "Import-Namespace: sample.class\n",
        "Import-Namespace 'sample.class' is not a dotted path of Python identifiers ('class').",
      ],
      ["Import-Name: sample-x\n", "Import-Name 'sample-x' is not a dotted path of Python identifiers ('sample-x')."],
      ["Import-Name: sample; public\n", `Import-Name 'sample; public': the only option after ";" is "private".`],
      [
        "Import-Name: company\nImport-Namespace: company\n",
        "'company' is listed both as an Import-Name and as an Import-Namespace.",
      ],
    ])("refuses %j", (fields, problem) => {
      expect(check(with25(fields))).toEqual([problem]);
    });

    it("refuses them in metadata older than 2.5, as PyPI does", () => {
      expect(check(with25("Import-Name: sample\n", "2.4"))).toEqual([
        "Import-Name was introduced in Metadata-Version 2.5, not '2.4'.",
      ]);
    });
  });

  it("refuses metadata without a Metadata-Version", () => {
    const text = METADATA_2_1.replace("Metadata-Version: 2.1\n", "");
    expect(validateMetadataAgainstForm(parseMetadata(text), { name: "sample_project", version: "2.3" })).toEqual([
      "The distribution's metadata has no Metadata-Version field.",
    ]);
  });

  it("reports missing fields", () => {
    expect(
      validateMetadataAgainstForm(parseMetadata("Metadata-Version: 2.1\n"), { name: "x", version: "1.0" }),
    ).toEqual(["The distribution's metadata has no Name field.", "The distribution's metadata has no Version field."]);
  });
});

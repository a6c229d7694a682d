// Core Metadata (METADATA / PKG-INFO): parsing the email-header format and checking it against the upload form.
import "server-only";
import { normalizeName } from "./names";
import { quote } from "./quote";
import { compareVersions, parseVersion } from "./versions";

export interface ProjectUrl {
  label: string;
  url: string;
}

export interface CoreMetadata {
  metadataVersion: string | null;
  name: string | null;
  /** As written; normalise with `parseVersion`. */
  version: string | null;
  summary: string | null;
  description: string | null;
  descriptionContentType: string | null;
  keywords: string[];
  homePage: string | null;
  downloadUrl: string | null;
  author: string | null;
  authorEmail: string | null;
  maintainer: string | null;
  maintainerEmail: string | null;
  license: string | null;
  licenseExpression: string | null;
  licenseFiles: string[];
  classifiers: string[];
  requiresDist: string[];
  requiresPython: string | null;
  requiresExternal: string[];
  providesExtra: string[];
  providesDist: string[];
  obsoletesDist: string[];
  projectUrls: ProjectUrl[];
  platform: string[];
  supportedPlatform: string[];
  dynamic: string[];
  /** Metadata 2.5 (PEP 794): what the distribution lets `import`; kept in the served METADATA file only. */
  importNames: string[];
  importNamespaces: string[];
}

type SingleField =
  | "metadataVersion"
  | "name"
  | "version"
  | "summary"
  | "description"
  | "descriptionContentType"
  | "homePage"
  | "downloadUrl"
  | "author"
  | "authorEmail"
  | "maintainer"
  | "maintainerEmail"
  | "license"
  | "licenseExpression"
  | "requiresPython";

type ListField =
  | "licenseFiles"
  | "classifiers"
  | "requiresDist"
  | "requiresExternal"
  | "providesExtra"
  | "providesDist"
  | "obsoletesDist"
  | "platform"
  | "supportedPlatform"
  | "dynamic"
  | "importNames"
  | "importNamespaces";

const SINGLE_FIELDS: Record<string, SingleField> = {
  "metadata-version": "metadataVersion",
  name: "name",
  version: "version",
  summary: "summary",
  description: "description",
  "description-content-type": "descriptionContentType",
  "home-page": "homePage",
  "download-url": "downloadUrl",
  author: "author",
  "author-email": "authorEmail",
  maintainer: "maintainer",
  "maintainer-email": "maintainerEmail",
  license: "license",
  "license-expression": "licenseExpression",
  "requires-python": "requiresPython",
};

const LIST_FIELDS: Record<string, ListField> = {
  "license-file": "licenseFiles",
  classifier: "classifiers",
  "requires-dist": "requiresDist",
  "requires-external": "requiresExternal",
  "provides-extra": "providesExtra",
  "provides-dist": "providesDist",
  "obsoletes-dist": "obsoletesDist",
  platform: "platform",
  "supported-platform": "supportedPlatform",
  dynamic: "dynamic",
  "import-name": "importNames",
  "import-namespace": "importNamespaces",
};

// distutils wrote these two with `rfc822_escape`, so their folded lines carry a 8-space or `       |` prefix.
const MULTILINE_FIELDS = new Set<SingleField>(["description", "license"]);

// Same rule as Python's email parser: a header line is `name:` with printable ASCII except `:` in the name.
const HEADER_RE = /^([\x21-\x39\x3b-\x7e]+):[ \t]*(.*)$/;

function emptyMetadata(): CoreMetadata {
  return {
    metadataVersion: null,
    name: null,
    version: null,
    summary: null,
    description: null,
    descriptionContentType: null,
    keywords: [],
    homePage: null,
    downloadUrl: null,
    author: null,
    authorEmail: null,
    maintainer: null,
    maintainerEmail: null,
    license: null,
    licenseExpression: null,
    licenseFiles: [],
    classifiers: [],
    requiresDist: [],
    requiresPython: null,
    requiresExternal: [],
    providesExtra: [],
    providesDist: [],
    obsoletesDist: [],
    projectUrls: [],
    platform: [],
    supportedPlatform: [],
    dynamic: [],
    importNames: [],
    importNamespaces: [],
  };
}

/** Undoes `rfc822_escape` (8 spaces, or 7 spaces and `|` since setuptools 59). */
function unescapeContinuation(line: string): string {
  if (/^ {7}\|/.test(line)) return line.slice(8);
  if (line.startsWith("        ")) return line.slice(8);
  if (line.startsWith("\t")) return line.slice(1);
  return line.trimStart();
}

function joinValue(field: SingleField | ListField | "keywords" | "projectUrls" | null, first: string, rest: string[]): string {
  if (field !== null && MULTILINE_FIELDS.has(field as SingleField)) {
    const lines = [first, ...rest.map(unescapeContinuation)];
    // `Description:` alone on its line, text below: the empty first line is not part of the text.
    if (first.trim() === "") lines.shift();
    return lines.join("\n").replace(/\s+$/, "");
  }
  // Everything else is a single logical line that a writer happened to fold.
  return [first, ...rest.map((l) => l.trim())].join(" ").trim();
}

/** `Keywords` is comma separated since Metadata 1.x tools switched from spaces; accept both. */
function splitKeywords(value: string): string[] {
  const parts = value.includes(",") ? value.split(",") : value.split(/\s+/);
  return parts.map((k) => k.trim()).filter((k) => k !== "");
}

function projectUrl(value: string): ProjectUrl {
  const comma = value.indexOf(",");
  if (comma === -1) return { label: value.trim(), url: "" };
  return { label: value.slice(0, comma).trim(), url: value.slice(comma + 1).trim() };
}

/**
 * Parses METADATA / PKG-INFO text leniently, like `packaging.metadata.parse_email`: unknown
 * headers are ignored and nothing is validated beyond the format; validation belongs to callers.
 *
 * The description is the `Description` header when there is one, else the body after the first
 * blank line (Metadata 2.1+). distutils' literal `UNKNOWN` placeholders read as absent.
 */
export function parseMetadata(text: string): CoreMetadata {
  const lines = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
  const meta = emptyMetadata();

  let i = 0;
  let body: string | null = null;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (line === "") {
      body = lines.slice(i + 1).join("\n");
      break;
    }
    const m = HEADER_RE.exec(line);
    if (!m) {
      // As in Python's email parser: a line that is not a header starts the body early.
      body = lines.slice(i).join("\n");
      break;
    }
    const key = (m[1] ?? "").toLowerCase();
    const first = m[2] ?? "";
    const rest: string[] = [];
    i++;
    while (i < lines.length && /^[ \t]/.test(lines[i] ?? "")) {
      rest.push(lines[i] ?? "");
      i++;
    }

    const single = SINGLE_FIELDS[key];
    const list = LIST_FIELDS[key];
    const field = single ?? list ?? (key === "keywords" ? "keywords" : key === "project-url" ? "projectUrls" : null);
    const value = joinValue(field, first, rest);

    if (single !== undefined) {
      // The first occurrence wins; repeating a single-valued field is a writer bug.
      if (meta[single] === null) meta[single] = value;
    } else if (list !== undefined) {
      if (value !== "") meta[list].push(value);
    } else if (key === "keywords") {
      meta.keywords.push(...splitKeywords(value));
    } else if (key === "project-url") {
      if (value !== "") meta.projectUrls.push(projectUrl(value));
    }
  }

  for (const key of Object.values(SINGLE_FIELDS)) {
    const value = meta[key];
    if (value !== null && key !== "name" && key !== "version" && (value === "UNKNOWN" || value.trim() === "")) {
      meta[key] = null;
    }
  }

  const bodyText = body?.replace(/\s+$/, "") ?? "";
  if (meta.description === null && bodyText.trim() !== "") meta.description = bodyText;
  meta.platform = meta.platform.filter((p) => p !== "UNKNOWN");
  meta.keywords = meta.keywords.filter((k) => k !== "UNKNOWN");
  return meta;
}

/**
 * The Metadata-Version values PyPI accepts (warehouse's forklift; "2.0" is what old bdist_wheel
 * wrote for what was really 1.2). A newer version may add fields whose meaning installers would
 * miss, so it waits until it is understood here too.
 */
export const SUPPORTED_METADATA_VERSIONS: readonly string[] = ["1.0", "1.1", "1.2", "2.0", "2.1", "2.2", "2.3", "2.4", "2.5"];

// Python's reserved words (`keyword.kwlist`): never an importable name.
const PYTHON_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(" "),
);
// `str.isidentifier()`: Unicode identifiers (XID_Start or `_`, then XID_Continue).
const IDENTIFIER = /^[\p{ID_Start}_]\p{ID_Continue}*$/u;

/**
 * What is wrong with Import-Name / Import-Namespace values (PEP 794), checked as PyPI's `packaging`
 * does: a dotted path of identifiers that are not keywords, optionally followed by `; private`; and
 * the fields exist from Metadata-Version 2.5 on.
 */
function importNameProblems(meta: CoreMetadata): string[] {
  const problems: string[] = [];
  const fields = [
    ["Import-Name", meta.importNames],
    ["Import-Namespace", meta.importNamespaces],
  ] as const;
  for (const [field, values] of fields) {
    if (values.length && meta.metadataVersion !== null && SUPPORTED_METADATA_VERSIONS.indexOf(meta.metadataVersion.trim()) < SUPPORTED_METADATA_VERSIONS.indexOf("2.5")) {
      problems.push(`${field} was introduced in Metadata-Version 2.5, not ${quote(meta.metadataVersion.trim())}.`);
      continue;
    }
    for (const value of values) {
      const [path = "", ...options] = value.split(";");
      const bad = path.trim().split(".").find((part) => !IDENTIFIER.test(part) || PYTHON_KEYWORDS.has(part));
      if (bad !== undefined) problems.push(`${field} ${quote(value)} is not a dotted path of Python identifiers (${quote(bad)}).`);
      else if (options.length && (options.length > 1 || options[0]!.trim() !== "private")) problems.push(`${field} ${quote(value)}: the only option after ";" is "private".`);
    }
  }
  const both = meta.importNames.map((v) => v.split(";")[0]!.trim()).filter((n) => meta.importNamespaces.some((v) => v.split(";")[0]!.trim() === n));
  if (both.length) problems.push(`${quote(both[0]!)} is listed both as an Import-Name and as an Import-Namespace.`);
  return problems;
}

/**
 * What is wrong with the metadata inside a file: a Metadata-Version PyPI does not accept, or a name
 * or version that disagrees with the upload form (under PEP 503 and PEP 440 equality). Twine fills
 * the form from the same metadata, so a mismatch means a hand-made request or a mislabelled file.
 */
export function validateMetadataAgainstForm(meta: CoreMetadata, form: { name: string; version: string }): string[] {
  const problems: string[] = [];
  if (!meta.metadataVersion) {
    problems.push("The distribution's metadata has no Metadata-Version field.");
  } else if (!SUPPORTED_METADATA_VERSIONS.includes(meta.metadataVersion.trim())) {
    problems.push(
      `Metadata-Version ${quote(meta.metadataVersion)} is not supported: use one of ${SUPPORTED_METADATA_VERSIONS.join(", ")}.`,
    );
  } else {
    problems.push(...importNameProblems(meta));
  }
  if (!meta.name) {
    problems.push("The distribution's metadata has no Name field.");
  } else if (normalizeName(meta.name) !== normalizeName(form.name)) {
    problems.push(
      `Name in the distribution's metadata (${quote(meta.name)}) does not match the name of the upload (${quote(form.name)}).`,
    );
  }
  if (!meta.version) {
    problems.push("The distribution's metadata has no Version field.");
  } else if (parseVersion(meta.version) === null) {
    problems.push(`Version in the distribution's metadata (${quote(meta.version)}) is not a valid PEP 440 version.`);
  } else if (parseVersion(form.version) === null || compareVersions(meta.version, form.version) !== 0) {
    problems.push(
      `Version in the distribution's metadata (${quote(meta.version)}) does not match the version of the upload (${quote(form.version)}).`,
    );
  }
  return problems;
}

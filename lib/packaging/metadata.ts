// Core Metadata (METADATA / PKG-INFO): parsing the email-header format and checking it against the upload form.
import "server-only";
import { normalizeName } from "./names";
import { quote } from "./quote";
import { compareVersions, parseVersion } from "./versions";

export interface ProjectUrl {
  label: string;
  url: string;
}

type Kind = "single" | "list" | "keywords" | "urls";

interface FieldSpec {
  /** The header as the specification spells it (matched case-insensitively). */
  header: string;
  /** "single": one value (the first wins); "list": repeated headers; "keywords", "urls": parsed lists. */
  kind: Kind;
  /** distutils wrote it with `rfc822_escape`: folded lines carry an 8-space or `       |` prefix. */
  multiline?: true;
  /** A release stores it (prisma/schema.prisma's Release has the column), cut to `max` characters. */
  release?: { max?: number };
}

/**
 * Every Core Metadata field Wheelhouse reads, written once: the parser below, the release row an
 * upload writes (`releaseFields`), and the reads the pages and the JSON API render
 * (lib/index-api/queries.ts `releaseSelect`) all follow this table.
 */
export const METADATA_FIELDS = {
  metadataVersion: { header: "Metadata-Version", kind: "single" },
  name: { header: "Name", kind: "single" },
  /** As written; normalise with `parseVersion`. */
  version: { header: "Version", kind: "single" },
  summary: { header: "Summary", kind: "single", release: { max: 512 } },
  description: { header: "Description", kind: "single", multiline: true, release: {} },
  descriptionContentType: { header: "Description-Content-Type", kind: "single", release: { max: 200 } },
  keywords: { header: "Keywords", kind: "keywords", release: {} },
  homePage: { header: "Home-Page", kind: "single", release: {} },
  downloadUrl: { header: "Download-URL", kind: "single" },
  author: { header: "Author", kind: "single", release: {} },
  authorEmail: { header: "Author-Email", kind: "single", release: {} },
  maintainer: { header: "Maintainer", kind: "single", release: {} },
  maintainerEmail: { header: "Maintainer-Email", kind: "single", release: {} },
  license: { header: "License", kind: "single", multiline: true, release: {} },
  licenseExpression: { header: "License-Expression", kind: "single", release: {} },
  licenseFiles: { header: "License-File", kind: "list" },
  classifiers: { header: "Classifier", kind: "list", release: {} },
  requiresDist: { header: "Requires-Dist", kind: "list", release: {} },
  requiresPython: { header: "Requires-Python", kind: "single", release: { max: 200 } },
  requiresExternal: { header: "Requires-External", kind: "list" },
  providesExtra: { header: "Provides-Extra", kind: "list", release: {} },
  providesDist: { header: "Provides-Dist", kind: "list" },
  obsoletesDist: { header: "Obsoletes-Dist", kind: "list" },
  projectUrls: { header: "Project-URL", kind: "urls", release: {} },
  platform: { header: "Platform", kind: "list" },
  supportedPlatform: { header: "Supported-Platform", kind: "list" },
  dynamic: { header: "Dynamic", kind: "list" },
  /** Metadata 2.5 (PEP 794): what the distribution lets `import`; kept in the served METADATA file only. */
  importNames: { header: "Import-Name", kind: "list" },
  importNamespaces: { header: "Import-Namespace", kind: "list" },
} as const satisfies Record<string, FieldSpec>;

type Fields = typeof METADATA_FIELDS;
type Field = keyof Fields;
type ValueOf<K extends Kind> = K extends "single" ? string | null : K extends "urls" ? ProjectUrl[] : string[];
type FieldsWhere<P> = { [F in Field]: Fields[F] extends P ? F : never }[Field];

export type CoreMetadata = { -readonly [F in Field]: ValueOf<Fields[F]["kind"]> };
type SingleField = FieldsWhere<{ kind: "single" }>;
type ListField = FieldsWhere<{ kind: "list" }>;
/** The metadata fields a release row stores. */
export type ReleaseField = FieldsWhere<{ release: object }>;

const FIELDS = Object.keys(METADATA_FIELDS) as Field[];
const spec = (f: Field): FieldSpec => METADATA_FIELDS[f];
export const RELEASE_FIELDS = FIELDS.filter((f): f is ReleaseField => spec(f).release !== undefined);
const SINGLE_FIELDS = FIELDS.filter((f): f is SingleField => spec(f).kind === "single");
const BY_HEADER = new Map(FIELDS.map((f) => [spec(f).header.toLowerCase(), f]));

// Same rule as Python's email parser: a header line is `name:` with printable ASCII except `:` in the name.
const HEADER_RE = /^([\x21-\x39\x3b-\x7e]+):[ \t]*(.*)$/;

function emptyMetadata(): CoreMetadata {
  return Object.fromEntries(FIELDS.map((f) => [f, spec(f).kind === "single" ? null : []])) as unknown as CoreMetadata;
}

/** What a release row stores of `meta`, each value cut to its column's length. */
export function releaseFields(meta: CoreMetadata): Pick<CoreMetadata, ReleaseField> {
  const cut = (f: ReleaseField) => {
    const max = spec(f).release?.max;
    const value = meta[f];
    return max !== undefined && typeof value === "string" ? value.slice(0, max) : value;
  };
  return Object.fromEntries(RELEASE_FIELDS.map((f) => [f, cut(f)])) as Pick<CoreMetadata, ReleaseField>;
}

/** Undoes `rfc822_escape` (8 spaces, or 7 spaces and `|` since setuptools 59). */
function unescapeContinuation(line: string): string {
  if (/^ {7}\|/.test(line)) return line.slice(8);
  if (line.startsWith("        ")) return line.slice(8);
  if (line.startsWith("\t")) return line.slice(1);
  return line.trimStart();
}

function joinValue(field: Field | undefined, first: string, rest: string[]): string {
  if (field !== undefined && spec(field).multiline) {
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
  const lines = text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .split("\n");
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

    const field = BY_HEADER.get(key);
    if (field === undefined) continue;
    const value = joinValue(field, first, rest);
    const kind = spec(field).kind;

    if (kind === "single") {
      // The first occurrence wins; repeating a single-valued field is a writer bug.
      if (meta[field as SingleField] === null) meta[field as SingleField] = value;
    } else if (kind === "list") {
      if (value !== "") meta[field as ListField].push(value);
    } else if (kind === "keywords") {
      meta.keywords.push(...splitKeywords(value));
    } else if (value !== "") {
      meta.projectUrls.push(projectUrl(value));
    }
  }

  for (const key of SINGLE_FIELDS) {
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
export const SUPPORTED_METADATA_VERSIONS: readonly string[] = [
  "1.0",
  "1.1",
  "1.2",
  "2.0",
  "2.1",
  "2.2",
  "2.3",
  "2.4",
  "2.5",
];

// Python's reserved words (`keyword.kwlist`): never an importable name.
const PYTHON_KEYWORDS = new Set(
  (
    "False None True and as assert async await break class continue def del elif else except finally for from " +
    "global if import in is lambda nonlocal not or pass raise return try while with yield"
  ).split(" "),
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
    if (
      values.length &&
      meta.metadataVersion !== null &&
      SUPPORTED_METADATA_VERSIONS.indexOf(meta.metadataVersion.trim()) < SUPPORTED_METADATA_VERSIONS.indexOf("2.5")
    ) {
      problems.push(`${field} was introduced in Metadata-Version 2.5, not ${quote(meta.metadataVersion.trim())}.`);
      continue;
    }
    for (const value of values) {
      const [path = "", ...options] = value.split(";");
      const bad = path
        .trim()
        .split(".")
        .find((part) => !IDENTIFIER.test(part) || PYTHON_KEYWORDS.has(part));
      if (bad !== undefined)
        problems.push(`${field} ${quote(value)} is not a dotted path of Python identifiers (${quote(bad)}).`);
      else if (options.length && (options.length > 1 || options[0]!.trim() !== "private"))
        problems.push(`${field} ${quote(value)}: the only option after ";" is "private".`);
    }
  }
  const both = meta.importNames
    .map((v) => v.split(";")[0]!.trim())
    .filter((n) => meta.importNamespaces.some((v) => v.split(";")[0]!.trim() === n));
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
      `Metadata-Version ${quote(meta.metadataVersion)} is not supported: ` +
        `use one of ${SUPPORTED_METADATA_VERSIONS.join(", ")}.`,
    );
  } else {
    problems.push(...importNameProblems(meta));
  }
  if (!meta.name) {
    problems.push("The distribution's metadata has no Name field.");
  } else if (normalizeName(meta.name) !== normalizeName(form.name)) {
    problems.push(
      `Name in the distribution's metadata (${quote(meta.name)}) ` +
        `does not match the name of the upload (${quote(form.name)}).`,
    );
  }
  if (!meta.version) {
    problems.push("The distribution's metadata has no Version field.");
  } else if (parseVersion(meta.version) === null) {
    problems.push(`Version in the distribution's metadata (${quote(meta.version)}) is not a valid PEP 440 version.`);
  } else if (parseVersion(form.version) === null || compareVersions(meta.version, form.version) !== 0) {
    problems.push(
      `Version in the distribution's metadata (${quote(meta.version)}) ` +
        `does not match the version of the upload (${quote(form.version)}).`,
    );
  }
  return problems;
}

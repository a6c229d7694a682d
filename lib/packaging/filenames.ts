// Distribution filenames: parsing wheel and sdist names, and the checks an upload's filename must pass.
import "server-only";
import { filenameSafeName, isValidProjectName, normalizeName } from "./names";
import { quote } from "./quote";
import { compareVersions, parseVersion } from "./versions";

export type Filetype = "bdist_wheel" | "sdist";
export type SdistExtension = ".tar.gz" | ".zip";

export const MAX_FILENAME_LENGTH = 255;

const PEP_527 = "See https://www.python.org/dev/peps/pep-0527 for more information.";

/** Which extensions each `filetype` form value may carry (PEP 527 left only these two types). */
export const FILETYPE_EXTENSIONS: Readonly<Record<Filetype, readonly string[]>> = {
  bdist_wheel: [".whl"],
  sdist: [".tar.gz", ".zip"],
};

export interface WheelTags {
  /** As written, possibly a compressed set such as `py2.py3`. */
  python: string;
  abi: string;
  platform: string;
}

export interface ParsedWheelFilename {
  kind: "bdist_wheel";
  /** As written in the filename. */
  name: string;
  /** As written in the filename; always valid PEP 440. */
  version: string;
  normalizedName: string;
  normalizedVersion: string;
  build?: string;
  tags: WheelTags;
}

export interface ParsedSdistFilename {
  kind: "sdist";
  name: string;
  version: string;
  normalizedName: string;
  normalizedVersion: string;
  extension: SdistExtension;
}

export type ParsedFilename = ParsedWheelFilename | ParsedSdistFilename;

export type FilenameCheck = { ok: true; parsed: ParsedFilename } | { ok: false; message: string };

type Parse<T> = { ok: true; value: T } | { ok: false; message: string };

// Wheel name parts are escaped names (PEP 427), which never contain `-`.
const WHEEL_NAME_RE = /^[A-Za-z0-9._]+$/;
const BUILD_TAG_RE = /^\d[A-Za-z0-9_.]*$/;
const TAG_RE = /^[A-Za-z0-9_.]+$/;

function wheelFilename(filename: string): Parse<ParsedWheelFilename> {
  if (!filename.endsWith(".whl")) {
    return { ok: false, message: `Invalid wheel filename (extension must be '.whl'): ${quote(filename)}` };
  }
  const stem = filename.slice(0, -".whl".length);
  const parts = stem.split("-");
  if (parts.length !== 5 && parts.length !== 6) {
    return { ok: false, message: `Invalid wheel filename (wrong number of parts): ${quote(filename)}` };
  }
  const [name = "", version = ""] = parts;
  const build = parts.length === 6 ? parts[2] : undefined;
  const [python = "", abi = "", platform = ""] = parts.slice(-3);
  if (!WHEEL_NAME_RE.test(name) || name.includes("__") || !isValidProjectName(name)) {
    return { ok: false, message: `Invalid project name: ${quote(filename)}` };
  }
  const normalizedVersion = parseVersion(version);
  if (normalizedVersion === null || version.trim() !== version) {
    return { ok: false, message: `Invalid wheel filename (invalid version): ${quote(filename)}` };
  }
  if (build !== undefined && !BUILD_TAG_RE.test(build)) {
    return { ok: false, message: `Invalid build number: ${build} in ${quote(filename)}` };
  }
  if (![python, abi, platform].every((tag) => TAG_RE.test(tag))) {
    return { ok: false, message: `Invalid wheel filename (invalid tags): ${quote(filename)}` };
  }
  return {
    ok: true,
    value: {
      kind: "bdist_wheel",
      name,
      version,
      normalizedName: normalizeName(name),
      normalizedVersion,
      ...(build !== undefined ? { build } : {}),
      tags: { python, abi, platform },
    },
  };
}

/** Every tag a wheel's name stands for, lower-cased: `py2.py3-none-any` is `py2-none-any` and `py3-none-any`. */
export function expandWheelTags(tags: WheelTags): string[] {
  const split = (part: string) => part.toLowerCase().split(".");
  return split(tags.python).flatMap((py) =>
    split(tags.abi).flatMap((abi) => split(tags.platform).map((platform) => `${py}-${abi}-${platform}`)),
  );
}

/** `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`, or `null` if malformed. */
export function parseWheelFilename(filename: string): ParsedWheelFilename | null {
  const result = wheelFilename(filename);
  return result.ok ? result.value : null;
}

function sdistExtension(filename: string): SdistExtension | null {
  if (filename.endsWith(".tar.gz")) return ".tar.gz";
  if (filename.endsWith(".zip")) return ".zip";
  return null;
}

function sdistParsed(
  name: string,
  version: string,
  normalizedVersion: string,
  extension: SdistExtension,
): ParsedSdistFilename {
  return { kind: "sdist", name, version, normalizedName: normalizeName(name), normalizedVersion, extension };
}

/**
 * `{name}-{version}.tar.gz` or `.zip`, or `null` if malformed.
 *
 * PEP 625 names are `{normalised_name}-{version}` and split at the last `-`. Older sdists kept the
 * project's own spelling (`Foo-Bar-1.0.tar.gz`) and could carry a `-` in the version
 * (`foo-1.0-1.tar.gz`, i.e. 1.0.post1), which no split rule can tell apart without knowing the
 * project; given `projectName`, the split is made where the prefix normalises to that project.
 */
export function parseSdistFilename(filename: string, projectName?: string): ParsedSdistFilename | null {
  const extension = sdistExtension(filename);
  if (extension === null) return null;
  const stem = filename.slice(0, -extension.length);

  if (projectName !== undefined) {
    const target = normalizeName(projectName);
    for (let i = stem.indexOf("-"); i > 0; i = stem.indexOf("-", i + 1)) {
      const name = stem.slice(0, i);
      const version = stem.slice(i + 1);
      if (normalizeName(name) !== target || !isValidProjectName(name)) continue;
      const normalizedVersion = parseVersion(version);
      if (normalizedVersion !== null && version.trim() === version) {
        return sdistParsed(name, version, normalizedVersion, extension);
      }
    }
    return null;
  }

  const dash = stem.lastIndexOf("-");
  if (dash <= 0) return null;
  const name = stem.slice(0, dash);
  const version = stem.slice(dash + 1);
  const normalizedVersion = parseVersion(version);
  if (!isValidProjectName(name) || normalizedVersion === null || version.trim() !== version) return null;
  return sdistParsed(name, version, normalizedVersion, extension);
}

/**
 * The extension as people would name it, `.tar.bz2`-style double extensions as one; `null` when the
 * name ends in something that is not an extension, such as the `.0` of `foo-1.0`.
 */
function extensionOf(filename: string): string | null {
  return /(\.tar)?\.[A-Za-z][A-Za-z0-9]*$/.exec(filename)?.[0] ?? null;
}

function isFiletype(value: string): value is Filetype {
  return value === "bdist_wheel" || value === "sdist";
}

/**
 * Everything about an upload's filename that can be checked before the file is opened. Checks run
 * in the order PyPI runs them, so twine users see the messages they already know.
 *
 * `version` is the upload form's version; the filename's version must be equal to it under
 * PEP 440 (`1.0` and `1.0.0` are equal, as on PyPI).
 */
export function validateFilename(input: {
  filename: string;
  filetype: string;
  projectName: string;
  version: string;
}): FilenameCheck {
  const { filename, filetype, projectName, version } = input;

  if (!isFiletype(filetype)) {
    return { ok: false, message: "Invalid value for filetype. Error: Use a known file type (sdist or bdist_wheel)." };
  }
  if (filename.length === 0) {
    return { ok: false, message: "Invalid distribution file. The file has no name." };
  }
  if (filename.length > MAX_FILENAME_LENGTH) {
    return {
      ok: false,
      message: `Invalid distribution file. Filenames have at most ${MAX_FILENAME_LENGTH} characters.`,
    };
  }

  if (/[\u0000-\u001f\u007f]/.test(filename)) {
    return {
      ok: false,
      message:
        "Cannot upload a file with non-printable characters (ordinals 0-31) " +
        "or the DEL character (ordinal 127) in the name.",
    };
  }
  if (filename.includes("/") || filename.includes("\\")) {
    return { ok: false, message: "Cannot upload a file with '/' or '\\' in the name." };
  }
  if (filename.startsWith(".")) {
    return { ok: false, message: "Cannot upload a file whose name starts with '.'." };
  }
  // Files are stored and served under their own name; anything outside this set needs escaping somewhere.
  if (!/^[A-Za-z0-9._+!-]+$/.test(filename)) {
    return {
      ok: false,
      message:
        "Cannot upload a file with characters other than ASCII letters, digits, " +
        "'.', '_', '-', '+' and '!' in the name.",
    };
  }

  const allowed = [...FILETYPE_EXTENSIONS.bdist_wheel, ...FILETYPE_EXTENSIONS.sdist];
  const extension = allowed.find((ext) => filename.endsWith(ext));
  if (extension === undefined) {
    const found = extensionOf(filename);
    return {
      ok: false,
      message:
        "Invalid file extension: " +
        (found ? `File extension ${quote(found)} is not allowed. ` : "") +
        `Use .tar.gz, .whl or .zip extension. ${PEP_527}`,
    };
  }
  if (!FILETYPE_EXTENSIONS[filetype].includes(extension)) {
    return {
      ok: false,
      message: `Invalid file extension: Extension ${extension} is invalid for filetype ${filetype}. ${PEP_527}`,
    };
  }

  const formVersion = parseVersion(version);
  if (formVersion === null) {
    return { ok: false, message: `${quote(version)} is an invalid value for Version.` };
  }
  const expectedPrefix = filenameSafeName(projectName);
  const wrongProject = {
    ok: false as const,
    message: `Start filename for ${quote(projectName)} with ${quote(expectedPrefix)}.`,
  };

  let parsed: ParsedFilename;
  if (filetype === "bdist_wheel") {
    const wheel = wheelFilename(filename);
    if (!wheel.ok) {
      // A wheel for another project fails as "wrong project", not as a malformed name.
      const namePart = filename.split("-", 1)[0] ?? "";
      if (namePart !== "" && normalizeName(namePart) !== normalizeName(projectName) && filename.includes("-")) {
        return wrongProject;
      }
      return wheel;
    }
    parsed = wheel.value;
    if (parsed.normalizedName !== normalizeName(projectName)) return wrongProject;
  } else {
    const sdist = parseSdistFilename(filename, projectName);
    if (sdist === null) {
      const stem = filename.slice(0, -extension.length);
      const prefixMatches = [...stem.matchAll(/-/g)].some(
        (m) => m.index > 0 && normalizeName(stem.slice(0, m.index)) === normalizeName(projectName),
      );
      if (!prefixMatches) return wrongProject;
      return { ok: false, message: `Invalid source distribution filename: ${quote(filename)}` };
    }
    parsed = sdist;
  }

  if (compareVersions(parsed.normalizedVersion, formVersion) !== 0) {
    return {
      ok: false,
      message: `Version in filename should be ${quote(formVersion)} not ${quote(parsed.normalizedVersion)}.`,
    };
  }
  return { ok: true, parsed };
}

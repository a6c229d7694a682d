// Looks inside an uploaded wheel or sdist on disk, reading only the few small members an upload needs.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import zlib from "node:zlib";
import * as tar from "tar-stream";
import * as yauzl from "yauzl";
import { expandWheelTags, type WheelTags } from "./filenames";
import { parseMetadata, type CoreMetadata } from "./metadata";
import { normalizeName } from "./names";
import { quote } from "./quote";
import { compareVersions, parseVersion } from "./versions";

/** METADATA and PKG-INFO are kilobytes; a long README makes them hundreds. More is an attack. */
export const MAX_METADATA_BYTES = 5 * 1024 * 1024;
/** WHEEL is a handful of lines. */
const MAX_WHEEL_FILE_BYTES = 64 * 1024;

/** Warehouse's decompression-bomb rule: past 64 MiB unpacked, refuse more than 50x expansion. */
export const COMPRESSION_RATIO_MIN_SIZE = 64 * 1024 * 1024;
export const COMPRESSION_RATIO_THRESHOLD = 50;

/**
 * Members an archive may have. The biggest wheels on PyPI have a few tens of thousands of files; a
 * small zip or tar.gz can declare millions of empty ones, each costing time to list. A zip's count is
 * known from its end record before any member is read; a tar's is counted as it streams.
 */
export const MAX_ARCHIVE_ENTRIES = 100_000;

export type WheelInspection =
  | { ok: true; metadataText: string; metadata: CoreMetadata; distInfo: string; wheelText: string }
  | { ok: false; message: string };

export type SdistInspection =
  { ok: true; metadataText: string; metadata: CoreMetadata; pkgInfoPath: string } | { ok: false; message: string };

/** A problem with the uploaded bytes, reported to the uploader rather than logged as our failure. */
class BadArchive extends Error {}

/** Errors from the operating system (missing temp file, EIO, EMFILE) are ours, not the uploader's. */
function isSystemError(err: unknown): boolean {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === "string";
}

function decodeUtf8(bytes: Buffer, what: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new BadArchive(`Invalid distribution file. ${what} is not valid UTF-8.`);
  }
}

/** Old sdists wrote PKG-INFO in the build machine's encoding; Latin-1 never fails and keeps ASCII intact. */
function decodeLenient(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString("latin1");
  }
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 100) / 100} MB`;
}

async function readCapped(stream: AsyncIterable<unknown>, cap: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  // Leaving the loop early (the throw) destroys the stream, so an oversized member is not read on.
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    total += buf.length;
    if (total > cap) throw new BadArchive(`Invalid distribution file. ${what} is larger than ${megabytes(cap)}.`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function tooManyEntries(label: string): BadArchive {
  return new BadArchive(
    `Invalid distribution file. ${label} has more than ${MAX_ARCHIVE_ENTRIES.toLocaleString("en")} members.`,
  );
}

/** Core metadata is text: a NUL is never meant, and PostgreSQL cannot store one (22021). */
function checkNoNul(text: string, what: string): string {
  if (text.includes("\0")) throw new BadArchive(`Invalid distribution file. ${what} contains a NUL character (\\0).`);
  return text;
}

function tooCompressed(unpacked: number, packed: number): boolean {
  return unpacked > COMPRESSION_RATIO_MIN_SIZE && unpacked / Math.max(packed, 1) > COMPRESSION_RATIO_THRESHOLD;
}

// ---------------------------------------------------------------------------------------------
// Zip (wheels and .zip sdists)

interface OpenZip {
  zip: yauzl.ZipFile;
  entries: yauzl.Entry[];
}

/** What WindowedReader reads ahead: some 10,000 central-directory records of a typical wheel. */
const WINDOW_BYTES = 1024 * 1024;

/**
 * yauzl reads every central-directory record with two small reads, each answered on a later turn of
 * the event loop: 20,000 entries took a second, more on a busy server. This reader reads ahead a
 * window and answers reads inside it at once, which makes listing several times faster.
 */
class WindowedReader extends yauzl.RandomAccessReader {
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly handle: fs.promises.FileHandle,
    private readonly file: string,
  ) {
    super();
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null, bytesRead?: number) => void,
  ): void {
    const start = position - this.windowStart;
    if (start >= 0 && start + length <= this.window.length) {
      this.window.copy(buffer, offset, start, start + length);
      return callback(null, length);
    }
    const window = Buffer.allocUnsafe(Math.max(length, WINDOW_BYTES));
    fs.read(this.handle.fd, window, 0, window.length, position, (err, bytesRead) => {
      if (err) return callback(err);
      this.window = window.subarray(0, bytesRead);
      this.windowStart = position;
      callback(null, window.copy(buffer, offset, 0, Math.min(length, bytesRead)));
    });
  }

  // Only the two or three members an upload needs are read: each opens the file anew (a stream on
  // the shared handle would close it when destroyed).
  override _readStreamForRange(start: number, end: number): Readable {
    return fs.createReadStream(this.file, { start, end: end - 1 });
  }

  override close(callback: (err: Error | null) => void): void {
    this.handle.close().then(() => callback(null), callback);
  }
}

/**
 * Reads the central directory only. Entries are kept as yauzl descriptors (no content), so even a
 * wheel with tens of thousands of files costs little memory.
 */
async function openZip(file: string, label: string): Promise<OpenZip> {
  const handle = await fs.promises.open(file, "r");
  let zip: yauzl.ZipFile;
  try {
    const { size } = await handle.stat();
    zip = await yauzl.fromRandomAccessReaderPromise(new WindowedReader(handle, file), size, {
      autoClose: false,
      lazyEntries: true,
      validateEntrySizes: true,
    });
  } catch (err) {
    await handle.close();
    if (isSystemError(err)) throw err;
    throw new BadArchive(`Invalid distribution file. ${label} is not a valid zip archive.`);
  }
  try {
    if (zip.entryCount > MAX_ARCHIVE_ENTRIES) throw tooManyEntries(label);
    const entries: yauzl.Entry[] = [];
    let unpacked = 0;
    for await (const entry of zip.eachEntry()) {
      // pip and Python's zipfile read stored and deflated members everywhere; other methods are not portable.
      if (entry.isEncrypted() || (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)) {
        throw new BadArchive(
          `Invalid distribution file. ${label} uses encryption or a compression method other than deflate.`,
        );
      }
      unpacked += entry.uncompressedSize;
      entries.push(entry);
    }
    const stat = await fs.promises.stat(file);
    if (tooCompressed(unpacked, stat.size)) {
      throw new BadArchive(
        `Invalid distribution file. ${label} expands to more than ${COMPRESSION_RATIO_THRESHOLD} times its size.`,
      );
    }
    return { zip, entries };
  } catch (err) {
    zip.close();
    if (err instanceof BadArchive || isSystemError(err)) throw err;
    throw new BadArchive(`Invalid distribution file. ${label} is not a valid zip archive.`);
  }
}

async function readZipEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, cap: number, what: string): Promise<Buffer> {
  if (entry.uncompressedSize > cap) {
    throw new BadArchive(`Invalid distribution file. ${what} is larger than ${megabytes(cap)}.`);
  }
  try {
    return await readCapped(await zip.openReadStreamPromise(entry), cap, what);
  } catch (err) {
    if (err instanceof BadArchive || isSystemError(err)) throw err;
    throw new BadArchive(`Invalid distribution file. ${what} could not be decompressed; the archive is corrupt.`);
  }
}

async function guard<T extends { ok: boolean }>(work: () => Promise<T>): Promise<T | { ok: false; message: string }> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof BadArchive) return { ok: false, message: err.message };
    if (isSystemError(err)) throw err;
    // Parsers throw on input nobody anticipated; that is still a bad file, not a server error.
    return { ok: false, message: "Invalid distribution file." };
  }
}

/**
 * Checks that a wheel is a zip with exactly one `.dist-info` directory, named for the wheel's
 * project and version, holding METADATA, WHEEL and RECORD; returns METADATA's text (served as the
 * PEP 658 `.metadata` file) and its parsed form.
 *
 * `expected` should be the name and version as written in the filename; they are compared
 * normalised, so `Foo.Bar-1.0.dist-info` satisfies `foo_bar`/`1.0.0`. `filename` (the uploaded
 * name; the file on disk may be a temporary name) is only used in messages. `tags`, the filename's,
 * must be exactly those WHEEL lists.
 */
export async function inspectWheel(
  file: string,
  expected: { name: string; version: string; filename?: string; tags?: WheelTags },
): Promise<WheelInspection> {
  const filename = expected.filename ?? path.basename(file);
  const expectedDistInfo = `${expected.name}-${expected.version}.dist-info`;
  return guard(async () => {
    const { zip, entries } = await openZip(file, `Wheel ${quote(filename)}`);
    try {
      const distInfoDirs = new Set<string>();
      const members = new Map<string, yauzl.Entry>();
      for (const entry of entries) {
        const parts = entry.fileName.split("/");
        const top = parts[0] ?? "";
        if (parts.length < 2 || !top.endsWith(".dist-info")) continue;
        distInfoDirs.add(top);
        if (parts.length === 2 && !entry.fileName.endsWith("/")) members.set(entry.fileName, entry);
      }

      if (distInfoDirs.size > 1) {
        return {
          ok: false,
          message:
            `Invalid wheel ${quote(filename)}: multiple .dist-info directories found: ` +
            `${[...distInfoDirs].sort().join(", ")}.`,
        };
      }
      const distInfo = [...distInfoDirs][0];
      if (distInfo === undefined) {
        return {
          ok: false,
          message: `Wheel ${quote(filename)} does not contain the required METADATA file: ${expectedDistInfo}/METADATA`,
        };
      }
      const stem = distInfo.slice(0, -".dist-info".length);
      const dash = stem.indexOf("-");
      const dirName = dash > 0 ? stem.slice(0, dash) : stem;
      const dirVersion = dash > 0 ? stem.slice(dash + 1) : "";
      if (
        normalizeName(dirName) !== normalizeName(expected.name) ||
        parseVersion(dirVersion) === null ||
        compareVersions(dirVersion, expected.version) !== 0
      ) {
        return {
          ok: false,
          message:
            `Wheel ${quote(filename)} has the .dist-info directory ${quote(distInfo)}; ` +
            `expected ${quote(expectedDistInfo)}.`,
        };
      }

      for (const required of ["METADATA", "WHEEL", "RECORD"]) {
        if (!members.has(`${distInfo}/${required}`)) {
          return {
            ok: false,
            message: `Wheel ${quote(filename)} does not contain the required ${required} file: ${distInfo}/${required}`,
          };
        }
      }

      const wheelEntry = members.get(`${distInfo}/WHEEL`) as yauzl.Entry;
      const wheelText = decodeUtf8(
        await readZipEntry(zip, wheelEntry, MAX_WHEEL_FILE_BYTES, `${distInfo}/WHEEL`),
        `${distInfo}/WHEEL`,
      );
      const wheelVersion = /^Wheel-Version:[ \t]*(\S+)/im.exec(wheelText)?.[1];
      if (wheelVersion === undefined) {
        return { ok: false, message: `Invalid wheel ${quote(filename)}: ${distInfo}/WHEEL has no Wheel-Version.` };
      }
      // pip refuses wheels of a newer major format version; so do we, rather than serve uninstallable files.
      if (wheelVersion.split(".")[0] !== "1") {
        return {
          ok: false,
          message: `Invalid wheel ${quote(filename)}: Wheel-Version ${quote(wheelVersion)} is not supported.`,
        };
      }

      if (expected.tags) {
        // Installers read the tags from WHEEL as well as from the name: both must say the same
        // (PyPI refuses the difference too). WHEEL lists each tag expanded, one per line.
        const named = new Set(expandWheelTags(expected.tags));
        const declared = new Set(
          [...wheelText.matchAll(/^Tag:[ \t]*(\S*)[ \t]*$/gim)].map((m) => (m[1] ?? "").toLowerCase()),
        );
        if (named.size !== declared.size || [...named].some((tag) => !declared.has(tag))) {
          return {
            ok: false,
            message:
              `Invalid wheel ${quote(filename)}: the tags in its name (${[...named].join(", ")}) ` +
              `differ from the Tag lines of ${distInfo}/WHEEL (${[...declared].join(", ") || "none"}).`,
          };
        }
      }

      const metadataEntry = members.get(`${distInfo}/METADATA`) as yauzl.Entry;
      const metadataText = checkNoNul(
        decodeUtf8(
          await readZipEntry(zip, metadataEntry, MAX_METADATA_BYTES, `${distInfo}/METADATA`),
          `${distInfo}/METADATA`,
        ),
        `${distInfo}/METADATA`,
      );
      return { ok: true, metadataText, metadata: parseMetadata(metadataText), distInfo, wheelText };
    } finally {
      zip.close();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Sdists

/**
 * `{top}/PKG-INFO`. When several top-level directories have one, the directory named like the file
 * (`foo-1.0/` for `foo-1.0.tar.gz`) wins; otherwise the first one seen.
 */
function pkgInfoTop(member: string): string | null {
  const parts = member.replace(/^(\.\/)+/, "").split("/");
  return parts.length === 2 && parts[1] === "PKG-INFO" && parts[0] !== "" ? (parts[0] ?? null) : null;
}

interface Found {
  path: string;
  bytes: Buffer;
}

function counter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        onBytes(chunk.length);
        done(null, chunk);
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

/** Streams the whole archive so truncation is noticed, keeping at most two PKG-INFO candidates in memory. */
async function findPkgInfoInTarGz(file: string, label: string, stem: string): Promise<Found | null> {
  const packed = (await fs.promises.stat(file)).size;
  const source = fs.createReadStream(file);
  const gunzip = zlib.createGunzip();
  let unpacked = 0;
  const count = counter((n) => {
    unpacked += n;
    if (tooCompressed(unpacked, packed)) {
      throw new BadArchive(
        `Invalid distribution file. ${label} expands to more than ${COMPRESSION_RATIO_THRESHOLD} times its size.`,
      );
    }
  });
  const extract = tar.extract();
  const fail = (err: Error) => extract.destroy(err);
  source.on("error", fail);
  gunzip.on("error", fail);
  count.on("error", fail);
  source.pipe(gunzip).pipe(count).pipe(extract);

  let preferred: Found | null = null;
  let fallback: Found | null = null;
  let entries = 0;
  try {
    for await (const entry of extract) {
      if (++entries > MAX_ARCHIVE_ENTRIES) throw tooManyEntries(label);
      const top = entry.header.type === "file" ? pkgInfoTop(entry.header.name) : null;
      if (top === null || preferred !== null || (fallback !== null && top !== stem)) {
        entry.resume();
        continue;
      }
      if ((entry.header.size ?? 0) > MAX_METADATA_BYTES) {
        throw new BadArchive(
          `Invalid distribution file. ${entry.header.name} is larger than ${megabytes(MAX_METADATA_BYTES)}.`,
        );
      }
      const bytes = await readCapped(entry, MAX_METADATA_BYTES, entry.header.name);
      const found = { path: entry.header.name, bytes };
      if (top === stem && preferred === null) preferred = found;
      else if (fallback === null) fallback = found;
    }
  } catch (err) {
    if (err instanceof BadArchive || isSystemError(err)) throw err;
    throw new BadArchive(
      `Invalid distribution file. ${label} is not a valid .tar.gz archive; it may be truncated or corrupt.`,
    );
  } finally {
    source.destroy();
    gunzip.destroy();
    count.destroy();
  }
  return preferred ?? fallback;
}

async function findPkgInfoInZip(file: string, label: string, stem: string): Promise<Found | null> {
  const { zip, entries } = await openZip(file, label);
  try {
    const candidates = entries.filter((e) => !e.fileName.endsWith("/") && pkgInfoTop(e.fileName) !== null);
    const entry = candidates.find((e) => pkgInfoTop(e.fileName) === stem) ?? candidates[0];
    if (entry === undefined) return null;
    return { path: entry.fileName, bytes: await readZipEntry(zip, entry, MAX_METADATA_BYTES, entry.fileName) };
  } finally {
    zip.close();
  }
}

/**
 * Checks that an sdist (`.tar.gz` or `.zip`, chosen by `filename`) is a readable archive with a
 * `{top}/PKG-INFO`, and returns that file's text and parsed form. A `.tar.gz` is decompressed in
 * full (streamed, never buffered) so that a truncated upload is refused.
 */
export async function inspectSdist(file: string, filename: string): Promise<SdistInspection> {
  const label = `Source distribution ${quote(filename)}`;
  return guard(async () => {
    let found: Found | null;
    let stem: string;
    if (filename.endsWith(".tar.gz")) {
      stem = filename.slice(0, -".tar.gz".length);
      found = await findPkgInfoInTarGz(file, label, stem);
    } else if (filename.endsWith(".zip")) {
      stem = filename.slice(0, -".zip".length);
      found = await findPkgInfoInZip(file, label, stem);
    } else {
      return { ok: false, message: "Invalid file extension: Use .tar.gz or .zip for source distributions." };
    }
    if (found === null) {
      return {
        ok: false,
        message: `${label} does not contain the required PKG-INFO file: ${stem}/PKG-INFO`,
      };
    }
    const metadataText = checkNoNul(decodeLenient(found.bytes).replace(/^\uFEFF/, ""), found.path);
    return { ok: true, metadataText, metadata: parseMetadata(metadataText), pkgInfoPath: found.path };
  });
}

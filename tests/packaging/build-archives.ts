// Builds real zip and tar.gz files in a temporary directory, so the archive tests read what twine would upload.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import * as tar from "tar-stream";
import * as yazl from "yazl";

export type Members = Record<string, string | Buffer>;

export async function makeTempDir(): Promise<string> {
  return fs.promises.mkdtemp(path.join(os.tmpdir(), "wheelhouse-packaging-"));
}

export async function writeZip(file: string, members: Members): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(members)) {
    zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8"), name);
  }
  zip.end();
  await pipeline(zip.outputStream, fs.createWriteStream(file));
  return file;
}

export async function writeTarGz(file: string, members: Members): Promise<string> {
  const pack = tar.pack();
  const done = pipeline(pack, zlib.createGzip(), fs.createWriteStream(file));
  for (const [name, content] of Object.entries(members)) {
    const buf = Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
    await new Promise<void>((resolve, reject) => {
      pack.entry({ name, size: buf.length, type: "file" }, buf, (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  await done;
  return file;
}

/** Keeps only the first `fraction` of a file, as an interrupted upload would. */
export async function truncateFile(source: string, target: string, fraction: number): Promise<string> {
  const bytes = await fs.promises.readFile(source);
  await fs.promises.writeFile(target, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return target;
}

export function wheelMetadata(name: string, version: string): string {
  return [
    "Metadata-Version: 2.1",
    `Name: ${name}`,
    `Version: ${version}`,
    "Summary: A test package",
    "Requires-Dist: requests (>=2.0)",
    "",
    "The long description.",
    "",
  ].join("\n");
}

export const WHEEL_FILE =
  "Wheel-Version: 1.0\nGenerator: bdist_wheel (0.43.0)\nRoot-Is-Purelib: true\nTag: py3-none-any\n";

/** The members of a minimal pure-Python wheel, as `pip wheel` would lay them out. */
export function wheelMembers(distName: string, version: string, projectName: string): Members {
  const distInfo = `${distName}-${version}.dist-info`;
  return {
    [`${distName}/__init__.py`]: "VALUE = 1\n",
    [`${distInfo}/METADATA`]: wheelMetadata(projectName, version),
    [`${distInfo}/WHEEL`]: WHEEL_FILE,
    [`${distInfo}/RECORD`]: [
      `${distName}/__init__.py`,
      `${distInfo}/METADATA`,
      `${distInfo}/WHEEL`,
      `${distInfo}/RECORD`,
    ]
      .map((member) => `${member},,\n`)
      .join(""),
  };
}

export function pkgInfo(name: string, version: string): string {
  return ["Metadata-Version: 2.1", `Name: ${name}`, `Version: ${version}`, "Summary: An sdist", ""].join("\n");
}

/**
 * A zip whose end records declare `count` members without holding any: what a crafted upload can
 * claim for free (ZIP64 lets it claim billions).
 */
export async function writeZipDeclaringEntries(file: string, count: number): Promise<string> {
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0); // ZIP64 end of central directory record
  record.writeBigUInt64LE(44n, 4); // its size after this field
  record.writeUInt16LE(45, 12); // version needed to extract: 4.5 (ZIP64)
  record.writeBigUInt64LE(BigInt(count), 24); // entries on this disk
  record.writeBigUInt64LE(BigInt(count), 32); // entries in total
  // central directory size and offset: 0, at the start of the file
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(0n, 8); // where the ZIP64 record starts
  locator.writeUInt32LE(1, 16); // disks in total
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  await fs.promises.writeFile(file, Buffer.concat([record, locator, end]));
  return file;
}

/** A .tar.gz of `count` empty files under `top/` besides `extra`, written without tar-stream's per-entry cost. */
export async function writeTarGzWithEmptyFiles(
  file: string,
  top: string,
  count: number,
  extra: Members,
): Promise<string> {
  const header = (name: string, size: number) => {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, "utf8");
    h.write("0000644\0", 100);
    h.write("0000000\0", 108);
    h.write("0000000\0", 116);
    h.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
    h.write("00000000000\0", 136);
    h.write("        ", 148);
    h.write("0", 156);
    h.write("ustar\0", 257);
    h.write("00", 263);
    let sum = 0;
    for (const byte of h) sum += byte;
    h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    return h;
  };
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(extra)) {
    const buf = Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
    blocks.push(header(name, buf.length), buf, Buffer.alloc((512 - (buf.length % 512)) % 512));
  }
  for (let i = 0; i < count; i++) blocks.push(header(`${top}/f${i}.py`, 0));
  blocks.push(Buffer.alloc(1024));
  await fs.promises.writeFile(file, zlib.gzipSync(Buffer.concat(blocks), { level: 1 }));
  return file;
}

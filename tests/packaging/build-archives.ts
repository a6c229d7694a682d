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

export const WHEEL_FILE = "Wheel-Version: 1.0\nGenerator: bdist_wheel (0.43.0)\nRoot-Is-Purelib: true\nTag: py3-none-any\n";

/** The members of a minimal pure-Python wheel, as `pip wheel` would lay them out. */
export function wheelMembers(distName: string, version: string, projectName: string): Members {
  const distInfo = `${distName}-${version}.dist-info`;
  return {
    [`${distName}/__init__.py`]: "VALUE = 1\n",
    [`${distInfo}/METADATA`]: wheelMetadata(projectName, version),
    [`${distInfo}/WHEEL`]: WHEEL_FILE,
    [`${distInfo}/RECORD`]: `${distName}/__init__.py,,\n${distInfo}/METADATA,,\n${distInfo}/WHEEL,,\n${distInfo}/RECORD,,\n`,
  };
}

export function pkgInfo(name: string, version: string): string {
  return ["Metadata-Version: 2.1", `Name: ${name}`, `Version: ${version}`, "Summary: An sdist", ""].join("\n");
}

// The default store: files under the data directory, fanned out by hash prefix.
import "server-only";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { BLOB_KEY, fannedOut, type BlobStore, type StoredBlob } from "./blob-store";
import { consuming, TempFiles } from "./temp-files";

export class LocalDiskStore implements BlobStore {
  readonly temp: TempFiles;

  constructor(private readonly root: string) {
    this.temp = new TempFiles(root);
  }

  private pathFor(key: string): string {
    return path.join(this.root, ...fannedOut(key));
  }

  tempPath(): string {
    return this.temp.next();
  }

  async putFile(tempPath: string, key: string): Promise<void> {
    await consuming(tempPath, async () => {
      const target = this.pathFor(key);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      // rename is atomic on one filesystem: readers see the whole file or none of it.
      await fsp.rename(tempPath, target);
    });
  }

  async putBytes(key: string, data: Buffer): Promise<void> {
    const temp = this.tempPath();
    await consuming(temp, async () => {
      await fsp.writeFile(temp, data);
      await this.putFile(temp, key);
    });
  }

  async open(key: string): Promise<StoredBlob | null> {
    const file = this.pathFor(key);
    try {
      const handle = await fsp.open(file, "r");
      const { size } = await handle.stat();
      return { stream: handle.createReadStream(), size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }

  async has(key: string): Promise<boolean> {
    return (await fsp.stat(this.pathFor(key)).catch(() => null))?.isFile() ?? false;
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.pathFor(key), { force: true });
  }

  async *list(): AsyncIterable<{ key: string; stored: Date }> {
    // Only `aa/bb/<sha256>` paths are blobs; anything else in the folder is not Wheelhouse's to judge.
    const hex2 = /^[0-9a-f]{2}$/;
    const names = async (dir: string) => (await fsp.readdir(dir).catch(() => [] as string[])).sort();
    for (const a of (await names(this.root)).filter((n) => hex2.test(n))) {
      for (const b of (await names(path.join(this.root, a))).filter((n) => hex2.test(n))) {
        for (const key of await names(path.join(this.root, a, b))) {
          if (!BLOB_KEY.test(key) || !key.startsWith(a + b)) continue;
          const stat = await fsp.stat(path.join(this.root, a, b, key)).catch(() => null);
          if (stat?.isFile()) yield { key, stored: stat.mtime };
        }
      }
    }
  }

  async deleteIfStoredBefore(key: string, cutoff: Date): Promise<boolean> {
    // Moved aside first, atomically: what is then judged is exactly what was taken away. If an
    // upload stored the key again meanwhile, its new file is either the one moved aside (young: put
    // back) or arrives afterwards under the key (left alone).
    const aside = this.tempPath();
    try {
      await fsp.rename(this.pathFor(key), aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw err;
    }
    return consuming(aside, async () => {
      if ((await fsp.stat(aside)).mtime <= cutoff) return true;
      await fsp.rename(aside, this.pathFor(key));
      return false;
    });
  }

  describe(): string {
    return `files stored in ${this.root}`;
  }

  async check(): Promise<void> {
    try {
      await fsp.access(this.temp.dir, fs.constants.W_OK);
    } catch (err) {
      throw new Error(
        `The file store ${this.root} is not writable (${(err as Error).message}): ` +
          `check WHEELHOUSE_DATA_DIR and its permissions.`,
      );
    }
  }
}

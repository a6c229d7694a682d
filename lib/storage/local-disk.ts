// The default store: files under the data directory, fanned out by hash prefix.
import "server-only";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { fannedOut, type BlobStore, type StoredBlob } from "./blob-store";
import { consuming, TempFiles } from "./temp-files";

export class LocalDiskStore implements BlobStore {
  private readonly temp: TempFiles;

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

  async delete(key: string): Promise<void> {
    await fsp.rm(this.pathFor(key), { force: true });
  }

  describe(): string {
    return `files stored in ${this.root}`;
  }

  async check(): Promise<void> {
    try {
      await fsp.access(this.temp.dir, fs.constants.W_OK);
    } catch (err) {
      throw new Error(`The file store ${this.root} is not writable (${(err as Error).message}): check WHEELHOUSE_DATA_DIR and its permissions.`);
    }
  }
}

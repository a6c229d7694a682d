// The default store: files under the data directory, fanned out by hash prefix.
import "server-only";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import crypto from "node:crypto";
import type { BlobStore, StoredBlob } from "./blob-store";

const KEY = /^[0-9a-f]{64}$/;

export class LocalDiskStore implements BlobStore {
  private readonly tmpDir: string;

  constructor(private readonly root: string) {
    this.tmpDir = path.join(root, ".tmp");
    fs.mkdirSync(this.tmpDir, { recursive: true });
  }

  private pathFor(key: string): string {
    if (!KEY.test(key)) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
    return path.join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  tempPath(): string {
    return path.join(this.tmpDir, `${Date.now()}-${crypto.randomBytes(8).toString("hex")}`);
  }

  async putFile(tempPath: string, key: string): Promise<void> {
    const target = this.pathFor(key);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    // rename is atomic on one filesystem: readers see the whole file or none of it.
    await fsp.rename(tempPath, target);
  }

  async putBytes(key: string, data: Buffer): Promise<void> {
    const temp = this.tempPath();
    await fsp.writeFile(temp, data);
    await this.putFile(temp, key);
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
}

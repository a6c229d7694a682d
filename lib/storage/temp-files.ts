// Uploads are received into temporary files on local disk whatever the store: they are read several
// times (digests, archive inspection) before anything is stored. One folder, `<files>/.tmp`.
import "server-only";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import crypto from "node:crypto";

export class TempFiles {
  readonly dir: string;

  constructor(filesRoot: string) {
    this.dir = path.join(filesRoot, ".tmp");
    fs.mkdirSync(this.dir, { recursive: true });
  }

  /** A fresh path in the folder; nothing is created. */
  next(): string {
    return path.join(this.dir, `${Date.now()}-${crypto.randomBytes(8).toString("hex")}`);
  }
}

/** Runs `work` on a temporary file, which is gone afterwards whether the work succeeded or not. */
export async function consuming<T>(tempPath: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    await fsp.rm(tempPath, { force: true });
  }
}

// Uploads are received into temporary files on local disk whatever the store: they are read several
// times (digests, archive inspection) before anything is stored. One folder, `<files>/.tmp`.
import "server-only";
import fs from "node:fs";
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

// Uploads are received into temporary files on local disk whatever the store: they are read several
// times (digests, archive inspection) before anything is stored. One folder, `<files>/.tmp`, which
// several processes (and, on a shared disk, several hosts) may use at once.
//
// A process killed mid-upload cannot remove its file, so every name says who owns it: host, pid and
// the pid's start time (a reused pid has another). The sweep removes a file only when its owner is
// provably gone (same host, that pid no longer running since that start time), or, for names from
// another host or an older Wheelhouse, when the file has not been written to for a long time.
import "server-only";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";

/** Longer than an upload can go without receiving a byte (the server's body timeout) or being checked and stored. */
export const FOREIGN_TEMP_GRACE_MS = 60 * 60 * 1000;

const HOST = os.hostname().replace(/[^A-Za-z0-9-]/g, "_") || "host";

/** When the process started, in clock ticks since boot (Linux /proc); "0" where unknown. */
function startTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields 3 (state) and 22; the command name (field 2) is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // A zombie has exited: its parent (init, once a killed server's worker is orphaned) has not
    // reaped it yet, and where init never reaps, it would keep its temporary files forever.
    if (fields[0] === "Z" || fields[0] === "X") return null;
    return fields[19] ?? "0";
  } catch {
    return fs.existsSync("/proc/self/stat") ? null : "0";
  }
}

const OWNER = `${HOST}~${process.pid}~${startTime(process.pid) ?? "0"}`;

/** Whether the process that named a file `host~pid~start~…` on this host still runs. */
function ownerAlive(pid: number, start: string): boolean {
  const now = startTime(pid);
  if (now === null) return false; // no such process (Linux)
  if (start !== "0" && now !== "0") return now === start;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // alive, another user's
  }
}

export class TempFiles {
  readonly dir: string;

  constructor(filesRoot: string) {
    this.dir = path.join(filesRoot, ".tmp");
    fs.mkdirSync(this.dir, { recursive: true });
  }

  /** A fresh path in the folder, named after this process; nothing is created. */
  next(): string {
    return path.join(this.dir, `${OWNER}~${crypto.randomBytes(8).toString("hex")}`);
  }

  /** Removes the files no live upload owns (see above); returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    let removed = 0;
    for (const name of await fsp.readdir(this.dir)) {
      const file = path.join(this.dir, name);
      const [host, pid, start] = name.split("~");
      let orphaned: boolean;
      if (host === HOST && Number(pid) > 0 && start) orphaned = !ownerAlive(Number(pid), start);
      else {
        const stat = await fsp.stat(file).catch(() => null);
        orphaned = !!stat && stat.mtimeMs < now - FOREIGN_TEMP_GRACE_MS;
      }
      if (orphaned) {
        await fsp.rm(file, { force: true, recursive: true });
        removed++;
      }
    }
    return removed;
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

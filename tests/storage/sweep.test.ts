// The storage sweep (issue 9, item 18): what a killed process leaves behind is removed, and nothing
// a live upload still needs ever is: temporary files by owner, stored blobs by row and age, on local
// disk and on S3 (s3rver), against the real database.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import pg from "pg";
import { db } from "@/lib/db/client";
import { ORPHAN_BLOB_GRACE_MS, type BlobStore } from "@/lib/storage/blob-store";
import { FOREIGN_TEMP_GRACE_MS } from "@/lib/storage/temp-files";
import { LocalDiskStore } from "@/lib/storage/local-disk";
import { S3Store } from "@/lib/storage/s3";
import { sweepStorage } from "@/lib/storage/sweep";
import { startS3Server, type TestS3 } from "../support/s3-server";

const ROOT = path.resolve(import.meta.dirname, "../..");
const HOUR = 60 * 60 * 1000;
const sha256 = (data: Buffer) => crypto.createHash("sha256").update(data).digest("hex");
const url = () => process.env.DATABASE_URL!;

let s3: TestS3;
const roots: string[] = [];
const newRoot = () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "wheelhouse-sweep-"));
  roots.push(root);
  return root;
};

beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3?.stop();
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

/** Stores fresh random bytes; returns their key. */
async function putBlob(store: BlobStore): Promise<string> {
  const data = crypto.randomBytes(64);
  const key = sha256(data);
  await store.putBytes(key, data);
  return key;
}

/** A committed file row whose file is `sha256` and whose METADATA is `metadataSha256`. */
async function fileRow(sha256: string, metadataSha256: string | null): Promise<void> {
  const name = `sweep-${crypto.randomBytes(5).toString("hex")}`;
  await db().project.create({
    data: {
      name,
      normalizedName: name,
      confusableKey: name,
      releases: {
        create: {
          version: "1.0",
          canonicalVersion: "1",
          keywords: [],
          classifiers: [],
          requiresDist: [],
          providesExtra: [],
          files: {
            create: {
              filename: `${name.replace("-", "_")}-1.0-py3-none-any.whl`,
              packagetype: "bdist_wheel",
              pythonVersion: "py3",
              size: 64,
              sha256,
              md5: "0".repeat(32),
              blake2b256: "0".repeat(64),
              metadataSha256,
              project: { connect: { normalizedName: name } },
            },
          },
        },
      },
    },
  });
}

async function exists(store: BlobStore, key: string): Promise<boolean> {
  const blob = await store.open(key);
  blob?.stream.destroy();
  return !!blob;
}

const backends: { name: string; make: () => { store: BlobStore; root: string } }[] = [
  {
    name: "local disk",
    make: () => {
      const root = newRoot();
      return { store: new LocalDiskStore(root), root };
    },
  },
  {
    name: "S3",
    make: () => {
      const root = newRoot();
      const prefix = `sweep-${crypto.randomBytes(4).toString("hex")}/`;
      const store = new S3Store({
        bucket: s3.bucket,
        endpoint: s3.endpoint,
        region: "us-east-1",
        credentials: s3.credentials,
        forcePathStyle: true,
        prefix,
        downloads: "proxy",
        localRoot: root,
      });
      return { store, root };
    },
  },
];

describe.each(backends)("storage sweep: $name", ({ make }) => {
  test("blobs without a row go once past the grace period; blobs with a row as file or METADATA stay", async () => {
    const { store } = make();
    const [file, metadata, orphan] = [await putBlob(store), await putBlob(store), await putBlob(store)];
    await fileRow(file, metadata);

    // Just stored: an upload may be about to commit its rows, so nothing goes yet.
    expect(await sweepStorage(store, url())).toEqual({ temporary: 0, orphans: 0 });
    expect(await exists(store, orphan)).toBe(true);

    const later = Date.now() + ORPHAN_BLOB_GRACE_MS + HOUR;
    expect(await sweepStorage(store, url(), later)).toEqual({ temporary: 0, orphans: 1 });
    expect(await exists(store, orphan)).toBe(false);
    expect(await exists(store, file)).toBe(true);
    expect(await exists(store, metadata)).toBe(true);
  });

  test("a blob stored again after the listing's cutoff is not deleted", async () => {
    const { store } = make();
    const key = await putBlob(store);
    expect(await store.deleteIfStoredBefore(key, new Date(Date.now() - 60_000))).toBe(false);
    expect(await exists(store, key)).toBe(true);
    expect(await store.deleteIfStoredBefore(key, new Date(Date.now() + 60_000))).toBe(true);
    expect(await exists(store, key)).toBe(false);
  });

  test("while another process sweeps, blobs are left to it", async () => {
    const { store } = make();
    const orphan = await putBlob(store);
    const other = new pg.Client({ connectionString: url() });
    await other.connect();
    try {
      await other.query("SELECT pg_advisory_lock(7413992002)");
      expect(await sweepStorage(store, url(), Date.now() + 2 * ORPHAN_BLOB_GRACE_MS)).toEqual({
        temporary: 0,
        orphans: null,
      });
      expect(await exists(store, orphan)).toBe(true);
    } finally {
      await other.end();
    }
  });

  test("temporary files of a killed process go; those of live processes stay", async () => {
    const { store, root } = make();
    // A live upload of this process, and one of another live process.
    const mine = store.tempPath();
    fs.writeFileSync(mine, "receiving");
    const holder = spawn(process.execPath, ["--import", "tsx", "tests/support/hold-temp-file.ts", root], {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: path.join(ROOT, "tsconfig.node.json") },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const theirs = await new Promise<string>((resolve) =>
      holder.stdout!.once("data", (c: Buffer) => resolve(c.toString().trim())),
    );
    // Names from another host or an older Wheelhouse: judged by age alone.
    const foreignOld = path.join(store.temp.dir, "1764540000000-0123456789abcdef");
    const foreignNew = path.join(store.temp.dir, "otherhost~123~456~0123456789abcdef");
    fs.writeFileSync(foreignOld, "old");
    fs.writeFileSync(foreignNew, "recent");
    const old = new Date(Date.now() - FOREIGN_TEMP_GRACE_MS - HOUR);
    fs.utimesSync(foreignOld, old, old);
    // The same pid as this process, but from an earlier process that had it: its owner is gone.
    const [host, pid] = path.basename(mine).split("~");
    const reusedPid = path.join(store.temp.dir, `${host}~${pid}~1~0123456789abcdef`);
    fs.writeFileSync(reusedPid, "left by a previous process with this pid");

    expect((await sweepStorage(store, url())).temporary).toBe(2);
    expect(fs.readdirSync(store.temp.dir).sort()).toEqual(
      [mine, theirs, foreignNew].map((p) => path.basename(p)).sort(),
    );

    const killed = new Promise((resolve) => holder.once("exit", resolve));
    holder.kill("SIGKILL");
    await killed;
    expect((await sweepStorage(store, url())).temporary).toBe(1);
    expect(fs.existsSync(theirs)).toBe(false);
    expect(fs.existsSync(mine)).toBe(true);
  });
});

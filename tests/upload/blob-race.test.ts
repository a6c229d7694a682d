// Deleting bytes that no row refers to must not race an upload of the same contents in flight: its
// bytes are stored before its rows are committed. Here the deletion lands exactly in that gap (the
// upload waits for its project's lock, held by the test), and the upload must then store nothing
// rather than a file row whose bytes are gone.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { beforeAll, expect, it } from "vitest";
import { normalizeName } from "@/lib/packaging/names";
import { blobStore } from "@/lib/storage";
import { dropUnusedBlobs } from "@/lib/storage/stored-files";
import { db } from "@/lib/db/client";
import { suffix, withTempDataDir } from "../unit/helpers";
import { multipart, publisher, upload, uploadForm, wheel } from "./support";

withTempDataDir();
let token = "";
let scratch = "";

beforeAll(async () => {
  token = (await publisher()).token;
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "wh-blob-race-"));
});

it("an upload whose stored bytes are deleted before its rows commit stores no row and asks for a retry", async () => {
  const name = `wh-${suffix()}`;
  const content = await wheel(scratch, { name, version: "1.0" });
  const sha256 = crypto.createHash("sha256").update(content).digest("hex");
  const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await holder.connect();
  let uploading: ReturnType<typeof upload>;
  try {
    await holder.query("SELECT pg_advisory_lock(hashtext($1))", [`upload:${normalizeName(name)}`]);
    uploading = upload(
      token,
      multipart(
        uploadForm({ name, version: "1.0", filename: `${name.replace(/-/g, "_")}-1.0-py3-none-any.whl`, content }),
      ),
    );
    await expect.poll(() => blobStore().has(sha256), { timeout: 3_000, interval: 20 }).toBe(true);
    await dropUnusedBlobs([sha256]); // no row refers to the bytes yet
  } finally {
    await holder.query("SELECT pg_advisory_unlock(hashtext($1))", [`upload:${normalizeName(name)}`]);
    await holder.end();
  }
  const result = await uploading;
  expect(result.status).toBe(503);
  expect(result.message).toMatch(/same contents.*retry/is);
  expect(await db().file.count({ where: { sha256 } })).toBe(0);
});

// An upload that cannot get its project's lock in time (another upload of the project is stuck) is refused with a
// 503 to retry, and leaves nothing behind.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { beforeAll, expect, it } from "vitest";
import { normalizeName } from "@/lib/packaging/names";
import { suffix, withTempDataDir } from "../unit/helpers";
import { multipart, NOTHING, publisher, traces, upload, uploadForm, wheel } from "./support";

const dataDir = withTempDataDir();
let token = "";
let scratch = "";

beforeAll(async () => {
  token = (await publisher()).token;
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "wh-commit-wait-"));
});

it("refuses with a 503 and stores nothing when the project's upload lock stays taken", async () => {
  const name = `wh-${suffix()}`;
  const content = await wheel(scratch, { name, version: "1.0" });
  const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await holder.connect();
  try {
    await holder.query("SELECT pg_advisory_lock(hashtext($1))", [`upload:${normalizeName(name)}`]);
    const result = await upload(
      token,
      multipart(
        uploadForm({ name, version: "1.0", filename: `${name.replace(/-/g, "_")}-1.0-py3-none-any.whl`, content }),
      ),
    );
    expect(result.status).toBe(503);
    expect(result.message).toMatch(/retry/i);
    expect(await traces(dataDir, name, content)).toEqual(NOTHING);
  } finally {
    await holder.end();
  }
});

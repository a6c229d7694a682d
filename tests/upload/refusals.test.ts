// Uploads that must be refused with a 4xx and a plain reason, leaving nothing behind: no blob, no
// temporary file, no row. handleUpload is called directly with the body as a stream, as the route does.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { suffix, withTempDataDir } from "../unit/helpers";
import { BOUNDARY, NOTHING, multipart, publisher, traces, upload, uploadForm, wheel } from "./support";

const dataDir = withTempDataDir();
let token = "";
let scratch = "";

beforeAll(async () => {
  token = (await publisher()).token;
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "wh-upload-"));
});

const wheelName = (name: string, version: string, tags = "py3-none-any") =>
  `${name.replace(/-/g, "_")}-${version}-${tags}.whl`;

async function aWheel(opts: { metadata?: (name: string) => string; wheel?: string } = {}) {
  const name = `wh-${suffix()}`;
  const content = await wheel(scratch, { name, version: "1.0", metadata: opts.metadata?.(name), wheel: opts.wheel });
  return { name, version: "1.0", filename: wheelName(name, "1.0"), content };
}

describe("handleUpload", () => {
  it("stores a valid wheel (the baseline the refusals differ from)", async () => {
    const u = await aWheel();
    expect(await upload(token, multipart(uploadForm(u)))).toEqual({ status: 200, message: "OK" });
    expect(await traces(dataDir, u.name, u.content)).toEqual({ blob: true, temporary: [], projects: 1, files: 1 });
  });

  it("stores a wheel with Metadata-Version 2.5 and import names (PyPI accepts it)", async () => {
    const u = await aWheel({
      metadata: (name) =>
        `Metadata-Version: 2.5\nName: ${name}\nVersion: 1.0\n` +
        `Import-Name: ${name.replace(/-/g, "_")}\nImport-Namespace: wh\n`,
    });
    expect(await upload(token, multipart(uploadForm(u)))).toEqual({ status: 200, message: "OK" });
    expect(await traces(dataDir, u.name, u.content)).toEqual({ blob: true, temporary: [], projects: 1, files: 1 });
  });

  it("refuses a Metadata-Version 2.5 wheel whose Import-Name is no Python name", async () => {
    const u = await aWheel({
      metadata: (name) => `Metadata-Version: 2.5\nName: ${name}\nVersion: 1.0\nImport-Name: not-a-module\n`,
    });
    expect(await upload(token, multipart(uploadForm(u)))).toEqual({
      status: 400,
      message: "Import-Name 'not-a-module' is not a dotted path of Python identifiers ('not-a-module').",
    });
    expect(await traces(dataDir, u.name, u.content)).toEqual(NOTHING);
  });

  describe("malformed multipart bodies", () => {
    it.each([
      ["no boundary", "multipart/form-data"],
      ["an empty boundary", "multipart/form-data; boundary="],
      ["an empty quoted boundary", 'multipart/form-data; boundary=""'],
    ])("refuses a Content-Type with %s", async (_what, contentType) => {
      const u = await aWheel();
      const result = await upload(token, multipart(uploadForm(u)), { contentType });
      expect(result).toEqual({
        status: 400,
        message: "Invalid multipart upload: the Content-Type header has no boundary, as twine would send it.",
      });
      expect(await traces(dataDir, u.name, u.content)).toEqual(NOTHING);
    });

    it("refuses a form field holding a NUL character", async () => {
      const u = await aWheel();
      const result = await upload(token, multipart(uploadForm(u, { pyversion: "py3\0" })));
      expect(result).toEqual({
        status: 400,
        message: "Invalid value for pyversion: NUL characters (\\0) are not allowed.",
      });
      expect(await traces(dataDir, u.name, u.content)).toEqual(NOTHING);
    });
  });

  describe("metadata PyPI refuses", () => {
    it("refuses a NUL byte in METADATA (PostgreSQL cannot store it)", async () => {
      const u = await aWheel({
        metadata: (name) => `Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0\nSummary: \x00\x01\x02\n`,
      });
      const result = await upload(token, multipart(uploadForm(u)));
      expect(result.status).toBe(400);
      expect(result.message).toMatch(/METADATA contains a NUL character/);
      expect(await traces(dataDir, u.name, u.content)).toEqual(NOTHING);
    });

    it("refuses Metadata-Version 99.0", async () => {
      const u = await aWheel({ metadata: (name) => `Metadata-Version: 99.0\nName: ${name}\nVersion: 1.0\n` });
      const result = await upload(token, multipart(uploadForm(u)));
      expect(result).toEqual({
        status: 400,
        message: "Metadata-Version '99.0' is not supported: use one of 1.0, 1.1, 1.2, 2.0, 2.1, 2.2, 2.3, 2.4, 2.5.",
      });
      expect(await traces(dataDir, u.name, u.content)).toEqual(NOTHING);
    });

    it("refuses a wheel named for other tags than its WHEEL file lists", async () => {
      const u = await aWheel();
      const filename = wheelName(u.name, "1.0", "cp999-evil-linux");
      const result = await upload(token, multipart(uploadForm({ ...u, filename })));
      expect(result.status).toBe(400);
      expect(result.message).toContain("the tags in its name (cp999-evil-linux) differ from the Tag lines");
      expect(await traces(dataDir, u.name, u.content)).toEqual(NOTHING);
    });
  });

  describe("every refusal removes its temporary file", () => {
    // Each refusal below happens while (or right after) the file is being written.
    const bodies: [string, (u: Awaited<ReturnType<typeof aWheel>>) => Buffer, RegExp][] = [
      [
        "a second content part",
        (u) => multipart([...uploadForm(u), { name: "content", value: u.content, filename: u.filename }]),
        /one file per request/,
      ],
      [
        "a field over 4 MB after the file",
        (u) => multipart([...uploadForm(u), { name: "description", value: "x".repeat(4 * 1024 * 1024 + 1) }]),
        /longer than 4 MB/,
      ],
      [
        "a NUL field after the file",
        (u) => multipart([...uploadForm(u), { name: "summary", value: "a\0b" }]),
        /NUL characters/,
      ],
      [
        "a body cut off inside the file",
        (u) => multipart(uploadForm(u), { end: false }).subarray(0, -200),
        /Invalid multipart upload|interrupted/,
      ],
      [
        "a body that ends without its closing boundary",
        (u) => multipart(uploadForm(u), { end: false }),
        /Invalid multipart upload|interrupted/,
      ],
      [
        "too many fields after the file",
        (u) => multipart([...uploadForm(u), ...Array.from({ length: 600 }, (_, i) => ({ name: `f${i}`, value: "1" }))]),
        /Too many form/,
      ],
    ];
    it.each(bodies)("after %s", async (_what, body, message) => {
      const u = await aWheel();
      const result = await upload(token, body(u));
      expect(result.status).toBe(400);
      expect(result.message).toMatch(message);
      expect(await traces(dataDir, u.name, u.content)).toEqual(NOTHING);
    });
  });

  it("refuses with messages twine can show: one line of plain ASCII", async () => {
    const u = await aWheel();
    const result = await upload(token, multipart(uploadForm(u)), {
      contentType: `multipart/form-data; boundary=${BOUNDARY}x`,
    });
    expect(result.status).toBe(400);
    expect(result.message).toMatch(/^[\x20-\x7e]+$/);
  });

  it("refuses a new project whose name reads like an existing one's through rn/m or vv/w", async () => {
    const s = suffix();
    for (const [existing, lookalike] of [
      [`maria-${s}`, `rnaria-${s}`],
      [`wheel-${s}`, `vvheel-${s}`],
    ] as const) {
      const first = await wheel(scratch, { name: existing, version: "1.0" });
      expect(
        await upload(
          token,
          multipart(
            uploadForm({ name: existing, version: "1.0", filename: wheelName(existing, "1.0"), content: first }),
          ),
        ),
      ).toEqual({ status: 200, message: "OK" });
      const content = await wheel(scratch, { name: lookalike, version: "1.0" });
      const result = await upload(
        token,
        multipart(uploadForm({ name: lookalike, version: "1.0", filename: wheelName(lookalike, "1.0"), content })),
      );
      expect(result.status).toBe(400);
      expect(result.message).toMatch(/too similar to an existing project/);
      expect(await traces(dataDir, lookalike, content)).toEqual(NOTHING);
    }
  });
});

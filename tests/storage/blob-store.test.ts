// One contract for every blob store: the same tests run against local disk and against S3 (a real
// S3-compatible server started here), so the upload and download code can rely on either alike.
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BlobStore } from "@/lib/storage/blob-store";
import { LocalDiskStore } from "@/lib/storage/local-disk";
import { S3Store, PRESIGNED_URL_SECONDS, type S3StoreOptions } from "@/lib/storage/s3";
import { startS3Server, type TestS3 } from "../support/s3-server";

const sha256 = (data: Buffer) => crypto.createHash("sha256").update(data).digest("hex");

async function readAll(store: BlobStore, key: string): Promise<{ data: Buffer; size: number } | null> {
  const blob = await store.open(key);
  if (!blob) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of blob.stream) chunks.push(chunk as Buffer);
  return { data: Buffer.concat(chunks), size: blob.size };
}

/** A received upload: a file written to the store's temporary path, as the upload code does. */
async function tempFile(store: BlobStore, data: Buffer): Promise<string> {
  const temp = store.tempPath();
  await fsp.writeFile(temp, data);
  return temp;
}

interface Backend {
  store: BlobStore;
  /** Where the store keeps its temporary files: on local disk, for every store. */
  localRoot: string;
  stop(): Promise<void>;
}

let s3: TestS3;
const roots: string[] = [];
const newRoot = () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "wheelhouse-blobs-"));
  roots.push(root);
  return root;
};
const s3Options = (overrides: Partial<S3StoreOptions> = {}): S3StoreOptions => ({
  bucket: s3.bucket,
  endpoint: s3.endpoint,
  region: "us-east-1",
  credentials: s3.credentials,
  forcePathStyle: true,
  prefix: "packages/",
  downloads: "proxy",
  localRoot: newRoot(),
  ...overrides,
});

beforeAll(async () => {
  s3 = await startS3Server();
});

afterAll(async () => {
  await s3?.stop();
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

const backends: { name: string; make: () => Promise<Backend> }[] = [
  {
    name: "local disk",
    make: async () => {
      const localRoot = newRoot();
      return { store: new LocalDiskStore(localRoot), localRoot, stop: async () => {} };
    },
  },
  {
    name: "S3",
    make: async () => {
      const options = s3Options();
      return { store: new S3Store(options), localRoot: options.localRoot, stop: async () => {} };
    },
  },
];

describe.each(backends)("blob store contract: $name", ({ make }) => {
  let backend: Backend;
  let store: BlobStore;
  const tempFiles = () => fs.readdirSync(path.join(backend.localRoot, ".tmp"));

  beforeAll(async () => {
    backend = await make();
    store = backend.store;
  });
  afterAll(async () => backend?.stop());

  test("temporary paths are fresh and on local disk under <files>/.tmp", () => {
    const a = store.tempPath();
    const b = store.tempPath();
    expect(a).not.toBe(b);
    expect(path.dirname(a)).toBe(path.join(backend.localRoot, ".tmp"));
    expect(fs.existsSync(path.dirname(a))).toBe(true);
  });

  test("bytes put are read back with their size", async () => {
    const data = Buffer.from("Metadata-Version: 2.1\nName: example\n");
    await store.putBytes(sha256(data), data);
    expect(await readAll(store, sha256(data))).toEqual({ data, size: data.length });
  });

  test("a file put is read back, and its temporary file is gone", async () => {
    const data = crypto.randomBytes(100_000);
    const temp = await tempFile(store, data);
    await store.putFile(temp, sha256(data));
    expect(fs.existsSync(temp)).toBe(false);
    expect(await readAll(store, sha256(data))).toEqual({ data, size: data.length });
  });

  test("putting identical bytes again under their key succeeds and changes nothing", async () => {
    const data = crypto.randomBytes(1000);
    const key = sha256(data);
    await store.putFile(await tempFile(store, data), key);
    const again = await tempFile(store, data);
    await store.putFile(again, key);
    await store.putBytes(key, data);
    expect(fs.existsSync(again)).toBe(false);
    expect(await readAll(store, key)).toEqual({ data, size: data.length });
  });

  test("a missing key opens as null", async () => {
    expect(await store.open(sha256(Buffer.from("never stored")))).toBeNull();
  });

  test("deleted bytes are gone; deleting again is harmless", async () => {
    const data = crypto.randomBytes(500);
    const key = sha256(data);
    await store.putBytes(key, data);
    await store.delete(key);
    expect(await store.open(key)).toBeNull();
    await store.delete(key);
  });

  test("keys that are not sha256 hex digests are refused, leaving nothing behind", async () => {
    for (const key of ["../../etc/passwd", "ABCDEF" + "0".repeat(58), "0".repeat(63), ""]) {
      await expect(store.putBytes(key, Buffer.from("x"))).rejects.toThrow(/invalid blob key/);
      await expect(store.open(key)).rejects.toThrow(/invalid blob key/);
      await expect(store.delete(key)).rejects.toThrow(/invalid blob key/);
    }
    // A refused putFile still removes its temporary file: nothing piles up in .tmp.
    const temp = await tempFile(store, Buffer.from("x"));
    await expect(store.putFile(temp, "not-a-key")).rejects.toThrow(/invalid blob key/);
    expect(fs.existsSync(temp)).toBe(false);
    expect(tempFiles()).toEqual([]);
  });

  test("a 20 MB file goes in whole (multipart for S3) and leaves no temporary file", async () => {
    const data = crypto.randomBytes(20 * 1024 * 1024);
    const key = sha256(data);
    await store.putFile(await tempFile(store, data), key);
    expect(tempFiles()).toEqual([]);
    const back = await readAll(store, key);
    expect(back?.size).toBe(data.length);
    expect(back && sha256(back.data)).toBe(key);
  });

  test("the start-up check passes for a usable store", async () => {
    await expect(store.check()).resolves.toBeUndefined();
    expect(store.describe()).toMatch(/files stored in/);
  });
});

describe("S3 store specifics", () => {
  test("objects live under the prefix, fanned out like local disk", async () => {
    const store = new S3Store(s3Options({ prefix: "/custom/prefix" }));
    const data = Buffer.from("fan-out");
    const key = sha256(data);
    await store.putBytes(key, data);
    expect(await s3.keys("custom/")).toEqual([`custom/prefix/${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`]);
    expect(store.objectKey(key)).toBe(`custom/prefix/${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`);
  });

  test("a 20 MB file is uploaded in 8 MiB multipart parts; a key stored recently is only looked at", async () => {
    const store = new S3Store(s3Options({ prefix: "multipart/" }));
    const data = crypto.randomBytes(20 * 1024 * 1024);
    const key = sha256(data);
    const objectKey = store.objectKey(key);
    const temp = await tempFile(store, data);
    const before = s3.requests.length;
    await store.putFile(temp, key);
    const sent = s3.requests.slice(before);
    expect(
      sent.filter((r) => r.startsWith(`PUT /${s3.bucket}/${objectKey}?`) && r.includes("partNumber=")),
    ).toHaveLength(3);
    expect(sent.some((r) => r.startsWith(`POST /${s3.bucket}/${objectKey}?uploads`))).toBe(true);

    const after = s3.requests.length;
    await store.putFile(await tempFile(store, data), key);
    expect(s3.requests.slice(after)).toEqual([`HEAD /${s3.bucket}/${objectKey}`]);
  });

  test("redirect mode hands out a short-lived URL that serves the bytes with Wheelhouse's headers", async () => {
    const store = new S3Store(s3Options({ downloads: "redirect" }));
    const data = crypto.randomBytes(4096);
    const key = sha256(data);
    await store.putBytes(key, data);
    const redirect = await store.downloadUrl(key, {
      contentType: "application/octet-stream",
      contentDisposition: 'attachment; filename="demo-1.0-py3-none-any.whl"',
    });
    expect(redirect?.expiresIn).toBe(PRESIGNED_URL_SECONDS);
    expect(redirect?.url).toContain(`${s3.endpoint}/${s3.bucket}/${store.objectKey(key)}?`);
    expect(redirect?.url).toContain("X-Amz-Expires=300");
    const response = await fetch(redirect!.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="demo-1.0-py3-none-any.whl"');
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(key);

    const metadata = await store.downloadUrl(key, { contentType: "text/plain; charset=utf-8" });
    expect((await fetch(metadata!.url)).headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });

  test("proxy mode hands out no URL (the bytes stream through Wheelhouse)", async () => {
    const store = new S3Store(s3Options({ downloads: "proxy" }));
    expect(await store.downloadUrl(sha256(Buffer.from("x")), { contentType: "application/octet-stream" })).toBeNull();
  });

  test("a missing bucket stops start-up with a message naming bucket and endpoint, never the secret", async () => {
    const secretAccessKey = "very-secret-value-1234567890";
    const store = new S3Store(
      s3Options({ bucket: "no-such-bucket", credentials: { accessKeyId: "S3RVER", secretAccessKey } }),
    );
    const error = await store.check().then(
      () => null,
      (err: Error) => err,
    );
    expect(error?.message).toContain(`S3 bucket "no-such-bucket" at ${s3.endpoint}`);
    expect(error?.message).toContain("the bucket does not exist");
    expect(error?.message).not.toContain(secretAccessKey);
  });

  test("an unreachable endpoint stops start-up with a message saying so", async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const store = new S3Store(s3Options({ endpoint: `http://127.0.0.1:${closed}` }));
    await expect(store.check()).rejects.toThrow(
      new RegExp(`Cannot use S3 bucket "${s3.bucket}" at http://127.0.0.1:${closed}: cannot reach it \\(ECONNREFUSED`),
    );
  });
});

// The storage settings: which store the configuration picks, and the refusals that stop start-up.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test, vi } from "vitest";

let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "wheelhouse-config-"));
  vi.stubEnv("WHEELHOUSE_DATA_DIR", dataDir);
  for (const name of [
    "WHEELHOUSE_STORAGE",
    "WHEELHOUSE_S3_DOWNLOADS",
    "S3_BUCKET",
    "S3_ENDPOINT",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_FORCE_PATH_STYLE",
    "S3_PREFIX",
  ]) {
    vi.stubEnv(name, "");
  }
  // config() and blobStore() keep their first answer per process: each test gets fresh modules.
  vi.resetModules();
});

afterEach(() => {
  vi.unstubAllEnvs();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const load = async () => ({ ...(await import("@/lib/config")), ...(await import("@/lib/storage")) });

test("local disk under the data directory is the default", async () => {
  const { config, blobStore } = await load();
  expect(config().WHEELHOUSE_STORAGE).toBe("local");
  expect(blobStore().describe()).toBe(`files stored in ${path.join(dataDir, "files")}`);
});

test("WHEELHOUSE_STORAGE=s3 picks the S3 store with the settings given", async () => {
  vi.stubEnv("WHEELHOUSE_STORAGE", "s3");
  vi.stubEnv("S3_BUCKET", "wheels");
  vi.stubEnv("S3_ENDPOINT", "http://127.0.0.1:9000");
  vi.stubEnv("S3_FORCE_PATH_STYLE", "true");
  vi.stubEnv("WHEELHOUSE_S3_DOWNLOADS", "redirect");
  const { config, blobStore } = await load();
  expect(config()).toMatchObject({ S3_REGION: "us-east-1", S3_PREFIX: "packages/", S3_FORCE_PATH_STYLE: true });
  expect(blobStore().describe()).toBe(
    'files stored in S3 bucket "wheels" at http://127.0.0.1:9000 under "packages/", ' +
      "downloads redirected to presigned URLs",
  );
  // Uploads are still received on local disk.
  expect(path.dirname(blobStore().tempPath())).toBe(path.join(dataDir, "files", ".tmp"));
});

test("S3 without a bucket is refused, naming the variable", async () => {
  vi.stubEnv("WHEELHOUSE_STORAGE", "s3");
  const { config } = await load();
  expect(() => config()).toThrow(/S3_BUCKET: required when WHEELHOUSE_STORAGE=s3/);
});

test("half a key pair is refused, and the secret never appears in the message", async () => {
  vi.stubEnv("WHEELHOUSE_STORAGE", "s3");
  vi.stubEnv("S3_BUCKET", "wheels");
  vi.stubEnv("S3_SECRET_ACCESS_KEY", "the-secret-value");
  const { config } = await load();
  const error = (() => {
    try {
      config();
    } catch (err) {
      return err as Error;
    }
  })();
  expect(error?.message).toMatch(/S3_ACCESS_KEY_ID: set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/);
  expect(error?.message).not.toContain("the-secret-value");
});

test("unknown storage and download modes are refused", async () => {
  vi.stubEnv("WHEELHOUSE_STORAGE", "gcs");
  vi.stubEnv("WHEELHOUSE_S3_DOWNLOADS", "cdn");
  const { config } = await load();
  expect(() => config()).toThrow(/WHEELHOUSE_STORAGE[\s\S]*WHEELHOUSE_S3_DOWNLOADS/);
});

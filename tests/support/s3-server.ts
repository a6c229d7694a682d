// A real S3-compatible server for the tests (s3rver: pure JavaScript, objects in a temporary folder),
// so the S3 store is tested against the protocol rather than a mock. Used by vitest and Playwright.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** s3rver's fixed key pair; it accepts nothing else in signed requests. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Every request the server received, as "METHOD /path?query", oldest first. */
  requests: string[];
  /** Every object key in the bucket (under `prefix`), sorted. */
  keys(prefix?: string): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startS3Server(opts: { port?: number; bucket?: string } = {}): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "wheelhouse-s3rver-"));
  const bucket = opts.bucket ?? "wheelhouse-test";
  const server = new S3rver({
    address: "127.0.0.1",
    port: opts.port ?? 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const requests: string[] = [];
  // s3rver is a Koa application (its type declarations leave that out): a first middleware sees
  // every request, which lets tests tell a multipart upload from a single PUT, or a skipped one.
  (
    server as unknown as {
      middleware: ((ctx: { method: string; url: string }, next: () => Promise<void>) => Promise<void>)[];
    }
  ).middleware.unshift(async (ctx, next) => {
    requests.push(`${ctx.method} ${ctx.url}`);
    await next();
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
  const client = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials });
  return {
    endpoint,
    bucket,
    credentials,
    requests,
    async keys(prefix = "") {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (listed.Contents ?? []).map((o) => o.Key!).sort();
    },
    async stop() {
      client.destroy();
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

// Object storage end to end: Wheelhouse processes that keep their files in an S3-compatible bucket
// (s3rver, started here), beside the local-disk server and on its database. One proxies downloads,
// one redirects them to presigned URLs. Through them: publish a real wheel and sdist, find the
// objects in the bucket (and not on local disk), download and pip-install from both, refuse uploads
// without leaving objects behind, and delete a file through the manage UI, which removes its objects.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { test, expect } from "./support/test";
import { createVerifiedUser, enrolTotp, signIn } from "./support/accounts";
import { createToken } from "./support/tokens";
import { makeWheel, rawUpload } from "./support/uploads";
import { buildProject, freshVenv } from "./support/python";
import { E2E, ROOT, SERVER_ENTRY, serverEnv } from "./support/env";
import { sql, storedFiles } from "./support/db";
import { startS3Server, type TestS3 } from "../tests/support/s3-server";

// Ports next to the main server's (E2E.port + 1 is the two-processes spec's second server; + 5 is
// the server that must fail to start).
const PROXY = `http://127.0.0.1:${E2E.port + 2}`;
const S3_PORT = E2E.port + 3;
const REDIRECT = `http://127.0.0.1:${E2E.port + 4}`;
const PREFIX = "e2e-packages/";
const SECRET = "e2e-secret-that-must-never-be-printed";

const sha256 = (data: Buffer) => crypto.createHash("sha256").update(data).digest("hex");
const objectKey = (key: string) => `${PREFIX}${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`;

let s3: TestS3;
const servers: ChildProcess[] = [];

function s3Env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...serverEnv(),
    WHEELHOUSE_STORAGE: "s3",
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    S3_FORCE_PATH_STYLE: "true",
    S3_PREFIX: PREFIX,
    ...extra,
  };
}

/** Runs the compiled server; resolves with its exit code and output once it exits. */
function runServer(env: NodeJS.ProcessEnv): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [SERVER_ENTRY], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function startServer(base: string, extra: Record<string, string>): Promise<void> {
  const server = runServer(s3Env({ PORT: new URL(base).port, ...extra }));
  servers.push(server.child);
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  await expect
    .poll(
      async () => {
        if (exitCode !== undefined) throw new Error(`the S3-backed server exited (${exitCode}):\n${server.output()}`);
        return (await fetch(`${base}/help`).catch(() => null))?.status ?? 0;
      },
      { timeout: 90_000 },
    )
    .toBe(200);
  expect(server.output()).toContain(`files stored in S3 bucket "${s3.bucket}" at ${s3.endpoint} under "${PREFIX}"`);
}

test.beforeAll(async () => {
  test.setTimeout(150_000);
  s3 = await startS3Server({ port: S3_PORT, bucket: "wheelhouse-e2e" });
  await Promise.all([startServer(PROXY, {}), startServer(REDIRECT, { WHEELHOUSE_S3_DOWNLOADS: "redirect" })]);
});

test.afterAll(async () => {
  for (const server of servers) server.kill("SIGTERM");
  await Promise.all(servers.map((s) => (s.exitCode === null ? new Promise((r) => s.once("exit", r)) : null)));
  await s3?.stop();
});

test("a bucket that does not exist stops start-up with a message naming it, never the secret", async () => {
  const server = runServer(
    s3Env({ PORT: String(E2E.port + 5), S3_BUCKET: "no-such-bucket", S3_SECRET_ACCESS_KEY: SECRET }),
  );
  expect(await server.exited).toBe(1);
  expect(server.output()).toContain(
    `wheelhouse: cannot start: Cannot use S3 bucket "no-such-bucket" at ${s3.endpoint}: the bucket does not exist`,
  );
  expect(server.output()).not.toContain(SECRET);
});

test("publish to S3, download and pip install (proxied and redirected), refuse without leftovers, delete", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const context = await browser.newContext({ baseURL: PROXY });
  const page = await context.newPage();
  const user = await createVerifiedUser("s3");
  await signIn(page, user);
  const { app } = await enrolTotp(page, user.password);
  const token = await createToken(page, { name: "s3", password: user.password, app });

  const built = await buildProject({
    name: "wh-s3-demo",
    version: "1.0.0",
    code: "def where():\n    return 'from the bucket'\n",
  });
  const wheel = { filename: path.basename(built.wheel), content: fs.readFileSync(built.wheel) };
  const sdist = { filename: path.basename(built.sdist), content: fs.readFileSync(built.sdist) };
  for (const file of [wheel, sdist]) {
    const uploaded = await rawUpload({ baseUrl: PROXY, token, name: "wh-s3-demo", version: "1.0.0", ...file });
    expect(uploaded.status, uploaded.body).toBe(200);
  }

  // The bytes are objects in the bucket, under the prefix, and nowhere on local disk.
  const [row] = await sql<{ metadata_sha256: string }>("SELECT metadata_sha256 FROM files WHERE filename = $1", [
    wheel.filename,
  ]);
  const metadataKey = row!.metadata_sha256;
  const expected = [sha256(wheel.content), metadataKey, sha256(sdist.content)].map(objectKey).sort();
  expect(await s3.keys(PREFIX)).toEqual(expected);
  const local = storedFiles().blobs.map((f) => path.basename(f));
  for (const key of [sha256(wheel.content), metadataKey, sha256(sdist.content)]) expect(local).not.toContain(key);

  // Proxied downloads: the very bytes, with their length; the PEP 658 metadata file too.
  const index = await (
    await fetch(`${PROXY}/simple/wh-s3-demo/`, { headers: { accept: "application/vnd.pypi.simple.v1+json" } })
  ).json();
  const listed = (
    index as { files: { filename: string; url: string; "core-metadata": { sha256: string } | false }[] }
  ).files.find((f) => f.filename === wheel.filename)!;
  expect(listed["core-metadata"]).toEqual({ sha256: metadataKey });
  const fileUrl = new URL(listed.url, `${PROXY}/simple/wh-s3-demo/`);
  const download = await fetch(`${PROXY}${fileUrl.pathname}`);
  expect(download.status).toBe(200);
  expect(download.headers.get("content-length")).toBe(String(wheel.content.length));
  expect(download.headers.get("cache-control")).toContain("immutable");
  expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(wheel.content));
  const metadata = await fetch(`${PROXY}${fileUrl.pathname}.metadata`);
  expect(metadata.status).toBe(200);
  expect(sha256(Buffer.from(await metadata.arrayBuffer()))).toBe(metadataKey);

  // Redirected downloads: a 302 to a presigned URL in the bucket, cached briefly and privately.
  const redirected = await fetch(`${REDIRECT}${fileUrl.pathname}`, { redirect: "manual" });
  expect(redirected.status).toBe(302);
  const location = redirected.headers.get("location")!;
  expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/${objectKey(sha256(wheel.content))}?`)).toBe(true);
  expect(redirected.headers.get("cache-control")).toBe("private, max-age=60");
  const fromBucket = await fetch(location);
  expect(fromBucket.headers.get("content-disposition")).toBe(`attachment; filename="${wheel.filename}"`);
  expect(sha256(Buffer.from(await fromBucket.arrayBuffer()))).toBe(sha256(wheel.content));
  const metadataRedirect = await fetch(`${REDIRECT}${fileUrl.pathname}.metadata`);
  expect(metadataRedirect.url.startsWith(s3.endpoint)).toBe(true);
  expect(sha256(Buffer.from(await metadataRedirect.arrayBuffer()))).toBe(metadataKey);

  // pip installs from either server: through Wheelhouse, and following redirects into the bucket.
  for (const base of [PROXY, REDIRECT]) {
    const venv = await freshVenv("s3");
    const installed = await venv.pip("install", "--index-url", `${base}/simple/`, "wh-s3-demo");
    expect(installed.code, installed.stdout + installed.stderr).toBe(0);
    expect(installed.stdout).toContain("Successfully installed wh-s3-demo-1.0.0");
    expect((await venv.python("-c", "import wh_s3_demo; print(wh_s3_demo.where())")).stdout.trim()).toBe(
      "from the bucket",
    );
  }

  // Refused uploads leave no object: one refused before storing (metadata that contradicts the form),
  // one refused after its bytes were stored (same filename, other contents), whose objects go again.
  const mismatched = await makeWheel({ name: "wh-s3-demo", version: "2.0.0", metadataName: "something-else" });
  const refused = await rawUpload({
    baseUrl: PROXY,
    token,
    name: "wh-s3-demo",
    version: "2.0.0",
    filename: "wh_s3_demo-2.0.0-py3-none-any.whl",
    content: mismatched,
  });
  expect(refused.status).toBe(400);
  const impostor = await makeWheel({ name: "wh-s3-demo", version: "1.0.0", payload: crypto.randomBytes(1000) });
  const requestsBefore = s3.requests.length;
  const conflict = await rawUpload({
    baseUrl: PROXY,
    token,
    name: "wh-s3-demo",
    version: "1.0.0",
    filename: wheel.filename,
    content: impostor,
  });
  expect(conflict.status).toBe(400);
  expect(conflict.body).toContain("File already exists");
  const impostorObject = `/${s3.bucket}/${objectKey(sha256(impostor))}`;
  const sent = s3.requests.slice(requestsBefore);
  // (The SDK may add a query such as `?x-id=PutObject`.)
  expect(sent.filter((r) => r.startsWith(`PUT ${impostorObject}`))).toHaveLength(1);
  expect(sent.filter((r) => r.startsWith(`DELETE ${impostorObject}`))).toHaveLength(1);
  expect(await s3.keys(PREFIX)).toEqual(expected);

  // Deleting the wheel (manage UI, sudo mode still on from the token) removes its objects; the
  // sdist's stays.
  await page.goto("/manage/project/wh-s3-demo");
  await page.locator("li", { hasText: wheel.filename }).getByText("Delete this file").click();
  const del = page.getByTestId(`delete-file-${wheel.filename}`);
  await del.locator('input[name="confirm"]').fill(wheel.filename);
  await del.getByRole("button", { name: "Delete file" }).click();
  await expect(page.locator("li code", { hasText: wheel.filename })).toHaveCount(0);
  await expect.poll(() => s3.keys(PREFIX)).toEqual([objectKey(sha256(sdist.content))]);
  expect((await fetch(`${PROXY}${fileUrl.pathname}`)).status).toBe(404);
  await context.close();
});

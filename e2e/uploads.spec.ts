// Every refusal of the upload API, with the status and message twine would show, and proof that a
// refused upload stores nothing.
import path from "node:path";
import { createHash } from "node:crypto";
import { test, expect, confirmIfAsked } from "./support/test";
import { createToken } from "./support/tokens";
import { makeWheel, makeZipSdist, multipart, postRaw, rawUpload, uploadParts } from "./support/uploads";
import { BASE_URL } from "./support/env";
import { sql, storedFiles } from "./support/db";
import { twine, buildProject } from "./support/python";

test.describe.configure({ mode: "serial" });

let token = "";
let scopedToken = "";
let password = "";
let username = "";

// The worker's maintainer, with two projects of its own and a token for only the first.
test.beforeAll(async ({ browser, maintainer }) => {
  ({ token, password, username } = maintainer);
  for (const name of ["wh-scoped-one", "wh-scoped-two"]) {
    const res = await rawUpload({
      token,
      name,
      version: "1.0",
      filename: `${name.replace(/-/g, "_")}-1.0-py3-none-any.whl`,
      content: await makeWheel({ name, version: "1.0" }),
    });
    expect(res.status, res.reason).toBe(200);
  }
  const context = await browser.newContext();
  await context.addCookies(maintainer.cookies);
  scopedToken = await createToken(await context.newPage(), {
    name: "one only",
    password,
    app: maintainer.secondFactor,
    projects: ["wh-scoped-one"],
  });
  await context.close();
});

const wheelName = (name: string, version: string) => `${name.replace(/[-.]+/g, "_")}-${version}-py3-none-any.whl`;

test("each invalid upload is refused with a clear status and message, and leaves nothing stored", async () => {
  const good = await makeWheel({ name: "wh-gamma", version: "1.0" });

  const cases: { what: string; upload: Parameters<typeof rawUpload>[0]; status: number; message: RegExp }[] = [
    {
      what: "bad filename",
      upload: { token, name: "wh-gamma", version: "1.0", filename: "wh_gamma-1.0.exe", content: good },
      status: 400,
      message: /Invalid file extension/,
    },
    {
      what: "filename for another project",
      upload: { token, name: "wh-gamma", version: "1.0", filename: wheelName("wh-delta", "1.0"), content: good },
      status: 400,
      message: /Start filename for 'wh-gamma'/,
    },
    {
      what: "filename and form disagree on the version",
      upload: { token, name: "wh-gamma", version: "2.0", filename: wheelName("wh-gamma", "1.0"), content: good },
      status: 400,
      message: /Version in filename should be '2\.0' not '1\.0'/,
    },
    {
      what: "metadata names another project",
      upload: {
        token,
        name: "wh-gamma",
        version: "1.0",
        filename: wheelName("wh-gamma", "1.0"),
        content: await makeWheel({ name: "wh-gamma", version: "1.0", metadataName: "wh-other" }),
      },
      status: 400,
      message: /wh-other/,
    },
    {
      what: "invalid version",
      upload: { token, name: "wh-gamma", version: "1.0-bogus!", filename: wheelName("wh-gamma", "1.0"), content: good },
      status: 400,
      message: /invalid value for Version/,
    },
    {
      what: "local version",
      upload: {
        token,
        name: "wh-gamma",
        version: "1.0+local",
        filename: wheelName("wh-gamma", "1.0+local"),
        content: good,
      },
      status: 400,
      message: /local versions/,
    },
    {
      what: "wrong digest",
      upload: {
        token,
        name: "wh-gamma",
        version: "1.0",
        filename: wheelName("wh-gamma", "1.0"),
        content: good,
        sha256: "0".repeat(64),
      },
      status: 400,
      message: /digest supplied does not match/,
    },
    {
      what: "oversized file",
      upload: {
        token,
        name: "wh-gamma",
        version: "1.0",
        filename: wheelName("wh-gamma", "1.0"),
        content: Buffer.alloc(3 * 1024 * 1024, 1),
      },
      status: 400,
      message: /File too large/,
    },
    {
      what: "truncated archive",
      upload: {
        token,
        name: "wh-gamma",
        version: "1.0",
        filename: wheelName("wh-gamma", "1.0"),
        content: good.subarray(0, good.length - 40),
      },
      status: 400,
      message: /[Ii]nvalid/,
    },
    {
      what: "not a zip",
      upload: {
        token,
        name: "wh-gamma",
        version: "1.0",
        filename: wheelName("wh-gamma", "1.0"),
        content: Buffer.from("definitely not a zip archive"),
      },
      status: 400,
      message: /[Ii]nvalid/,
    },
    {
      what: "wheel without METADATA",
      upload: {
        token,
        name: "wh-gamma",
        version: "1.0",
        filename: wheelName("wh-gamma", "1.0"),
        content: await makeWheel({ name: "wh-gamma", version: "1.0", omit: ["METADATA"] }),
      },
      status: 400,
      message: /METADATA/,
    },
    {
      what: "password instead of a token",
      upload: {
        token: password,
        username: "someone",
        name: "wh-gamma",
        version: "1.0",
        filename: wheelName("wh-gamma", "1.0"),
        content: good,
      },
      status: 403,
      message: /API tokens are required/,
    },
    {
      what: "unknown token",
      upload: {
        token: `wheelhouse-${"A".repeat(43)}`,
        name: "wh-gamma",
        version: "1.0",
        filename: wheelName("wh-gamma", "1.0"),
        content: good,
      },
      status: 403,
      message: new RegExp(
        [
          "Invalid or non-existent API token\\. Create an API token under Account settings > API tokens, ",
          "then upload with username __token__",
        ].join(""),
      ),
    },
    {
      what: "token scoped to another project",
      upload: {
        token: scopedToken,
        name: "wh-scoped-two",
        version: "2.0",
        filename: wheelName("wh-scoped-two", "2.0"),
        content: await makeWheel({ name: "wh-scoped-two", version: "2.0" }),
      },
      status: 403,
      message: /not scoped to project 'wh-scoped-two'/,
    },
    {
      what: "scoped token creating a project",
      upload: {
        token: scopedToken,
        name: "wh-gamma",
        version: "1.0",
        filename: wheelName("wh-gamma", "1.0"),
        content: good,
      },
      status: 403,
      message: /cannot create the new project/,
    },
    {
      what: "confusable new name",
      upload: {
        token,
        name: "wh-scoped-0ne",
        version: "1.0",
        filename: wheelName("wh-scoped-0ne", "1.0"),
        content: await makeWheel({ name: "wh-scoped-0ne", version: "1.0" }),
      },
      status: 400,
      message: /too similar to an existing project \('wh-scoped-one'\)/,
    },
  ];
  // Soft: one case failing still reports every other case.
  for (const c of cases) {
    const res = await rawUpload(c.upload);
    expect.soft(res.status, `${c.what}: ${res.reason}`).toBe(c.status);
    expect.soft(res.reason, c.what).toMatch(c.message);
    expect.soft(res.body, c.what).toMatch(c.message);
  }
  // Other specs upload at the same time, so look for these uploads' own traces: none may remain.
  const hashes = new Set(cases.map((c) => createHash("sha256").update(c.upload.content).digest("hex")));
  expect(storedFiles().blobs.filter((b) => hashes.has(path.basename(b)))).toEqual([]);
  await expect.poll(() => storedFiles().temporary, { timeout: 10_000 }).toEqual([]);
  const filenames = cases.map((c) => c.upload.filename);
  expect(
    await sql(
      `SELECT filename FROM files WHERE filename = ANY($1) AND project_id IN
         (SELECT id FROM projects WHERE normalized_name IN ('wh-gamma', 'wh-delta', 'wh-scoped-0ne'))`,
      [filenames],
    ),
  ).toEqual([]);
  expect(await sql("SELECT 1 FROM projects WHERE normalized_name IN ('wh-gamma', 'wh-scoped-0ne')")).toEqual([]);
  expect(
    await sql("SELECT filename FROM filename_registry WHERE filename = ANY($1)", [
      filenames.filter((f) => !f.startsWith("wh_scoped_one")),
    ]),
  ).toEqual([]);
});

test("an expired token is refused, saying when it expired", async () => {
  // Move the token's expiry into the past, as time would.
  await sql(
    `UPDATE api_tokens SET expires_at = now() - interval '1 day'
     WHERE name = 'one only' AND user_id = (SELECT id FROM users WHERE username = $1)`,
    [username],
  );
  const expired = await rawUpload({
    token: scopedToken,
    name: "wh-scoped-one",
    version: "3.0",
    filename: wheelName("wh-scoped-one", "3.0"),
    content: await makeWheel({ name: "wh-scoped-one", version: "3.0" }),
  });
  expect(expired.status).toBe(403);
  expect(expired.reason).toMatch(/API token expired on \d{4}-\d\d-\d\d/);
});

test("the same file again is accepted unchanged; other bytes under its name are refused", async () => {
  const first = await makeWheel({ name: "wh-dup", version: "1.0" });
  const upload = { token, name: "wh-dup", version: "1.0", filename: wheelName("wh-dup", "1.0") };
  expect((await rawUpload({ ...upload, content: first })).status).toBe(200);
  expect((await rawUpload({ ...upload, content: first })).status).toBe(200);
  const clash = await rawUpload({
    ...upload,
    content: await makeWheel({ name: "wh-dup", version: "1.0", omit: ["__init__.py"] }),
  });
  expect(clash.status).toBe(400);
  expect(clash.reason).toMatch(/^File already exists/);
  expect(
    await sql("SELECT f.sha256 FROM files f JOIN projects p ON p.id = f.project_id WHERE p.normalized_name = 'wh-dup'"),
  ).toEqual([{ sha256: createHash("sha256").update(first).digest("hex") }]);
});

test("a release takes one sdist, whatever its extension", async () => {
  const sdist = await buildProject({ name: "wh-one-sdist", version: "1.0", code: "X = 1\n" });
  const uploaded = await twine([sdist.sdist], token);
  expect(uploaded.code, uploaded.stdout + uploaded.stderr).toBe(0);
  const zipSdist = await rawUpload({
    token,
    name: "wh-one-sdist",
    version: "1.0",
    filename: "wh_one_sdist-1.0.zip",
    filetype: "sdist",
    content: await makeZipSdist("wh-one-sdist", "1.0"),
  });
  expect(zipSdist.status).toBe(400);
  expect(zipSdist.reason).toContain("Only one sdist may be uploaded per release");
});

test("a deleted file's name can never be used again", async ({ maintainerPage: page, maintainer }) => {
  const filename = wheelName("wh-deleted", "1.0");
  const upload = { token, name: "wh-deleted", version: "1.0", filename };
  const original = await makeWheel({ name: "wh-deleted", version: "1.0" });
  expect((await rawUpload({ ...upload, content: original })).status).toBe(200);
  // Another file keeps the release when the wheel goes.
  const sdist = await rawUpload({
    token,
    name: "wh-deleted",
    version: "1.0",
    filename: "wh_deleted-1.0.zip",
    filetype: "sdist",
    content: await makeZipSdist("wh-deleted", "1.0"),
  });
  expect(sdist.status, sdist.reason).toBe(200);
  const blob = createHash("sha256").update(original).digest("hex");
  expect(storedFiles().blobs.map((b) => path.basename(b))).toContain(blob);

  // Deleted the way an owner does it, which also removes the stored bytes.
  await page.goto("/manage/project/wh-deleted");
  await confirmIfAsked(page, maintainer);
  const del = page.getByTestId(`delete-file-${filename}`);
  await page.locator("details").filter({ has: del }).locator("summary").click();
  await del.locator('input[name="confirm"]').fill(filename);
  await del.getByRole("button", { name: "Delete file" }).click();
  await expect(page.getByTestId("action-outcome")).toContainText(`${filename} was deleted`);
  await expect(page.locator('[data-release="1.0"]')).not.toContainText(filename);
  await expect.poll(() => storedFiles().blobs.map((b) => path.basename(b))).not.toContain(blob);

  const reused = await rawUpload({
    ...upload,
    content: await makeWheel({ name: "wh-deleted", version: "1.0", omit: ["__init__.py"] }),
  });
  expect(reused.status).toBe(400);
  expect(reused.reason).toContain("This filename has already been used");
});

test("an upload interrupted halfway leaves no file, no temporary file and no rows", async () => {
  const { default: http } = await import("node:http");
  const { BASE_URL } = await import("./support/env");
  const boundary = "----wheelhouse-interrupted";
  const head = Buffer.from(
    [
      ":action",
      "file_upload",
      "protocol_version",
      "1",
      "name",
      "wh-interrupted",
      "version",
      "1.0",
      "filetype",
      "bdist_wheel",
    ]
      .reduce<string[]>(
        (acc, v, i, all) =>
          i % 2
            ? acc
            : [...acc, `--${boundary}\r\nContent-Disposition: form-data; name="${v}"\r\n\r\n${all[i + 1]}\r\n`],
        [],
      )
      .join("") +
      `--${boundary}\r\n` +
      'Content-Disposition: form-data; name="content"; filename="wh_interrupted-1.0-py3-none-any.whl"\r\n' +
      "Content-Type: application/octet-stream\r\n\r\n",
  );
  const req = http.request(`${BASE_URL}/legacy/`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`__token__:${token}`).toString("base64")}`,
      "content-type": `multipart/form-data; boundary=${boundary}`,
      "content-length": head.length + 1024 * 1024,
    },
  });
  const closed = new Promise<void>((resolve) => {
    req.on("error", () => resolve());
    req.on("close", () => resolve());
  });
  req.write(head);
  await new Promise<void>((resolve) => req.write(Buffer.alloc(256 * 1024, 7), () => resolve()));
  // Cut the connection only once the server has started writing the file, so that the clean-up
  // checked below had something to clean up.
  await expect.poll(() => storedFiles().temporary.length, { timeout: 10_000 }).toBeGreaterThan(0);
  req.destroy();
  await closed;
  // The server notices the broken connection and cleans up.
  await expect.poll(() => storedFiles().temporary, { timeout: 10_000 }).toEqual([]);
  expect(await sql("SELECT 1 FROM projects WHERE normalized_name = 'wh-interrupted'")).toEqual([]);
  expect(await sql("SELECT 1 FROM filename_registry WHERE filename = 'wh_interrupted-1.0-py3-none-any.whl'")).toEqual(
    [],
  );
});

test("malformed bodies and uploads PyPI refuses get a 400 with the reason, and leave nothing behind", async () => {
  const boundary = "----wheelhouse-e2e";
  const auth = { authorization: `Basic ${Buffer.from(`__token__:${token}`).toString("base64")}` };
  const multipartType = { "content-type": `multipart/form-data; boundary=${boundary}` };
  const wheelOf = async (name: string, opts: Partial<Parameters<typeof makeWheel>[0]> = {}) => ({
    name,
    version: "1.0",
    filename: wheelName(name, "1.0"),
    content: await makeWheel({ name, version: "1.0", ...opts }),
  });
  const nul = await wheelOf("wh-nul", {
    metadata: "Metadata-Version: 2.1\nName: wh-nul\nVersion: 1.0\nSummary: \x00\x01\x02\n",
  });
  const future = await wheelOf("wh-future", { metadata: "Metadata-Version: 99.0\nName: wh-future\nVersion: 1.0\n" });
  const evil = await wheelOf("wh-evil");
  const twice = await wheelOf("wh-twice");
  const long = await wheelOf("wh-long");
  const cases: { what: string; headers: Record<string, string>; body: Buffer; message: RegExp; content: Buffer }[] = [
    {
      what: "no boundary",
      headers: { "content-type": "multipart/form-data" },
      body: multipart(uploadParts(evil), boundary),
      message: /Content-Type header has no boundary/,
      content: evil.content,
    },
    {
      what: "empty boundary",
      headers: { "content-type": "multipart/form-data; boundary=" },
      body: multipart(uploadParts(evil), boundary),
      message: /Content-Type header has no boundary/,
      content: evil.content,
    },
    {
      what: "NUL in METADATA",
      headers: multipartType,
      body: multipart(uploadParts(nul), boundary),
      message: /METADATA contains a NUL character/,
      content: nul.content,
    },
    {
      what: "Metadata-Version 99.0",
      headers: multipartType,
      body: multipart(uploadParts(future), boundary),
      message: /Metadata-Version '99\.0' is not supported/,
      content: future.content,
    },
    {
      what: "tags unlike WHEEL's",
      headers: multipartType,
      body: multipart(uploadParts({ ...evil, filename: "wh_evil-1.0-cp999-evil-linux.whl" }), boundary),
      message: /tags in its name \(cp999-evil-linux\) differ from the Tag lines/,
      content: evil.content,
    },
    {
      what: "a second content part",
      headers: multipartType,
      body: multipart(
        [...uploadParts(twice), { name: "content", value: twice.content, filename: twice.filename }],
        boundary,
      ),
      message: /Upload one file per request/,
      content: twice.content,
    },
    {
      what: "a field over 4 MB",
      headers: multipartType,
      body: multipart(
        [...uploadParts(long), { name: "description", value: "x".repeat(4 * 1024 * 1024 + 1) }],
        boundary,
      ),
      message: /longer than 4 MB/,
      content: long.content,
    },
    {
      what: "NUL in a form field",
      headers: multipartType,
      body: multipart(uploadParts(long, { pyversion: "py3\0" }), boundary),
      message: /NUL characters/,
      content: long.content,
    },
  ];
  for (const c of cases) {
    const res = await postRaw(`${BASE_URL}/legacy/`, { ...auth, ...c.headers }, c.body);
    expect.soft(res.status, `${c.what}: ${res.reason}`).toBe(400);
    expect.soft(res.reason, c.what).toMatch(c.message);
  }
  const hashes = new Set(cases.map((c) => createHash("sha256").update(c.content).digest("hex")));
  expect(storedFiles().blobs.filter((b) => hashes.has(path.basename(b)))).toEqual([]);
  await expect.poll(() => storedFiles().temporary, { timeout: 10_000 }).toEqual([]);
  expect(
    await sql(
      `SELECT normalized_name FROM projects
       WHERE normalized_name IN ('wh-nul', 'wh-future', 'wh-evil', 'wh-twice', 'wh-long')`,
    ),
  ).toEqual([]);
});

// The read APIs as pip and other tools see them: PEP 503/691/658/700/592 shapes, redirects, 404s
// and conditional requests.
import { test, expect, confirmIfAsked, uniqueName } from "./support/test";
import { makeWheel, makeZipSdist, rawUpload } from "./support/uploads";
import { sql } from "./support/db";

const JSON_TYPE = "application/vnd.pypi.simple.v1+json";

test("the simple API in HTML and JSON, with yanked releases, metadata files, redirects, 404 and 304", async ({
  maintainerPage: page,
  maintainer,
  request,
}) => {
  const { token } = maintainer;
  for (const version of ["1.0", "2.0"]) {
    const wheel = await rawUpload({
      token,
      name: "wh-simple",
      version,
      filename: `wh_simple-${version}-py3-none-any.whl`,
      content: await makeWheel({ name: "wh-simple", version }),
    });
    expect(wheel.status, wheel.reason).toBe(200);
  }
  const sdist = await rawUpload({
    token,
    name: "wh-simple",
    version: "2.0",
    filename: "wh_simple-2.0.zip",
    content: await makeZipSdist("wh-simple", "2.0"),
  });
  expect(sdist.status, sdist.reason).toBe(200);
  // Yank 1.0 with a reason that needs escaping, the way an owner does.
  await page.goto("/manage/project/wh-simple");
  await confirmIfAsked(page, maintainer);
  await page.getByTestId("yank-1.0").getByRole("button", { name: "Yank 1.0" }).click();
  const dialog = page.getByRole("dialog", { name: "Yank wh-simple 1.0?" });
  await dialog.getByLabel(/Reason/).fill('broken <build> & "bad"');
  await dialog.getByRole("button", { name: "Yank release" }).click();
  await expect(page.getByTestId("action-outcome")).toContainText("Release 1.0 is yanked");

  // PEP 503 HTML (the default).
  const html = await request.get("/simple/wh-simple/");
  expect(html.status()).toBe(200);
  expect(html.headers()["content-type"]).toContain("text/html");
  expect(html.headers()["vary"]).toMatch(/(^|, )Accept(,|$)/);
  const body = await html.text();
  expect(body).toContain('<meta name="pypi:repository-version" content="1.1">');
  const anchors = body.match(/<a [^>]+>[^<]+<\/a>/g) ?? [];
  expect(anchors).toHaveLength(3);
  const yanked = anchors.find((a) => a.includes("wh_simple-1.0-py3-none-any.whl"))!;
  expect(yanked).toMatch(
    /href="\/packages\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{60}\/wh_simple-1\.0-py3-none-any\.whl#sha256=[0-9a-f]{64}"/,
  );
  // Quotes as &#34;, as Python's html.escape.
  expect(yanked).toContain('data-yanked="broken &lt;build&gt; &amp; &#34;bad&#34;"');
  expect(yanked).toMatch(/data-core-metadata="sha256=[0-9a-f]{64}"/);
  expect(yanked).toMatch(/data-dist-info-metadata="sha256=[0-9a-f]{64}"/);
  const zip = anchors.find((a) => a.includes("wh_simple-2.0.zip"))!;
  expect(zip).not.toContain("data-yanked");
  expect(zip).not.toContain("data-core-metadata");

  // PEP 691 JSON with PEP 700 fields; the metadata file it points at matches its hash (PEP 658).
  const json = await request.get("/simple/wh-simple/", { headers: { accept: `${JSON_TYPE}, text/html;q=0.1` } });
  expect(json.headers()["content-type"]).toBe(JSON_TYPE);
  const data = await json.json();
  expect(data.meta["api-version"]).toMatch(/^1\.[1-9]/);
  expect(data.name).toBe("wh-simple");
  expect(data.versions).toEqual(["1.0", "2.0"]);
  const wheel1 = data.files.find((f: { filename: string }) => f.filename === "wh_simple-1.0-py3-none-any.whl");
  expect(wheel1.yanked).toBe('broken <build> & "bad"');
  expect(wheel1.size).toBeGreaterThan(100);
  expect(wheel1["upload-time"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  expect(wheel1.hashes.sha256).toMatch(/^[0-9a-f]{64}$/);
  const metadata = await request.get(`${wheel1.url}.metadata`);
  expect(metadata.status()).toBe(200);
  const metadataText = await metadata.text();
  expect(metadataText).toContain("Name: wh-simple");
  const { createHash } = await import("node:crypto");
  expect(
    createHash("sha256")
      .update(await metadata.body())
      .digest("hex"),
  ).toBe(wheel1["core-metadata"].sha256);
  const download = await request.get(wheel1.url);
  expect(download.status()).toBe(200);
  expect(download.headers()["cache-control"]).toContain("immutable");
  expect(Number(download.headers()["content-length"])).toBe(wheel1.size);
  expect(
    createHash("sha256")
      .update(await download.body())
      .digest("hex"),
  ).toBe(wheel1.hashes.sha256);
  expect((await request.get(wheel1.url, { headers: { "if-none-match": download.headers()["etag"]! } })).status()).toBe(
    304,
  );
  const sdistFile = data.files.find((f: { filename: string }) => f.filename === "wh_simple-2.0.zip");
  expect(sdistFile.yanked).toBe(false);
  expect(sdistFile["core-metadata"]).toBe(false);

  // Non-normalised names redirect; unknown projects are 404.
  const redirect = await request.get("/simple/WH_Simple/", { maxRedirects: 0 });
  expect(redirect.status()).toBe(301);
  expect(redirect.headers()["location"]).toBe("/simple/wh-simple/");
  expect((await request.get("/simple/no-such-project/")).status()).toBe(404);

  // Conditional requests: the ETag answers 304 until the project changes.
  const etag = html.headers()["etag"]!;
  expect((await request.get("/simple/wh-simple/", { headers: { "if-none-match": etag } })).status()).toBe(304);
  const third = await rawUpload({
    token,
    name: "wh-simple",
    version: "3.0",
    filename: "wh_simple-3.0-py3-none-any.whl",
    content: await makeWheel({ name: "wh-simple", version: "3.0" }),
  });
  expect(third.status).toBe(200);
  const changed = await request.get("/simple/wh-simple/", { headers: { "if-none-match": etag } });
  expect(changed.status()).toBe(200);
  expect(await changed.text()).toContain("wh_simple-3.0-py3-none-any.whl");

  // The root index lists the project in both forms.
  expect(await (await request.get("/simple/")).text()).toContain('<a href="/simple/wh-simple/">wh-simple</a>');
  const root = await (await request.get("/simple/", { headers: { accept: JSON_TYPE } })).json();
  expect(root.projects.map((p: { name: string }) => p.name)).toContain("wh-simple");

  // PyPI's JSON API: latest non-yanked release, and one release by PEP 440 equality.
  const api = await (await request.get("/pypi/wh-simple/json")).json();
  expect(api.info.version).toBe("3.0");
  expect(Object.keys(api.releases)).toEqual(["1.0", "2.0", "3.0"]);
  expect(api.releases["1.0"][0].yanked).toBe(true);
  const v2 = await (await request.get("/pypi/wh-simple/2.0.0/json")).json();
  expect(v2.info.version).toBe("2.0");
  expect(v2.urls.map((u: { filename: string }) => u.filename)).toContain("wh_simple-2.0.zip");
  expect((await request.get("/pypi/wh-simple/9.9/json")).status()).toBe(404);
});

test("malformed request targets and session cookies are refused with a 400 on every route family, never a 500", async ({
  maintainer,
}) => {
  const { default: http } = await import("node:http");
  const { BASE_URL } = await import("./support/env");
  const get = (target: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      // node:http sends the target byte for byte, as the operator's probe did (no URL normalisation).
      const req = http.request(`${BASE_URL}/`, { path: target, headers }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });
  // A file of this test's own, so that its download URL is always among the targets.
  const project = uniqueName("wh-targets");
  const filename = `${project.replace(/-/g, "_")}-1.0-py3-none-any.whl`;
  const uploaded = await rawUpload({
    token: maintainer.token,
    name: project,
    version: "1.0",
    filename,
    content: await makeWheel({ name: project, version: "1.0" }),
  });
  expect(uploaded.status, uploaded.reason).toBe(200);
  const [download] = await sql<{ sha256: string; filename: string }>(
    "SELECT sha256, filename FROM files WHERE filename = $1",
    [filename],
  );
  const targets = [
    "/simple/a%00b/",
    "/project/%00",
    "/project/%ff",
    "/project/%%/%%",
    "/user/%00",
    "/user/%ff",
    "/pypi/%ff%fe/json",
    "/pypi/demo-pkg-1/%/json",
    "/pypi/;$)9@%/json",
    "/search?q=%00",
    "/search?q=%ff",
    "/account/verify-email?token=%00",
    "/manage/project/%00",
    "/simple/%ff/",
    "/api/auth/%00",
    `/packages/${download!.sha256.slice(0, 2)}/${download!.sha256.slice(2, 4)}/${download!.sha256.slice(4)}/` +
      `${download!.filename}%00`,
  ];
  for (const target of targets) {
    const res = await get(target);
    expect.soft(res.status, target).toBe(400);
    expect.soft(res.body, target).toMatch(/^Bad request: /);
  }
  // A session cookie cut off mid-escape: an anonymous visitor, not a server error.
  for (const target of [`/project/${project}`, "/project/no-such-project", "/", "/account/settings"]) {
    const res = await get(target, { cookie: "wheelhouse_session=%E0%A4%A" });
    expect.soft(res.status, target).toBeLessThan(500);
  }
});

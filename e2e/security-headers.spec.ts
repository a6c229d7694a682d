// The Content-Security-Policy on every kind of HTML response: pages Next renders carry a fresh nonce
// each time, kept anonymous project pages allow their own scripts by hash, /simple/ allows none;
// and in Chromium a script slipped into a page is blocked. (Every other spec fails on any violation
// in normal use: e2e/support/test.ts.)
import { test, expect, type APIResponse, type Page, type Route } from "./support/test";
import { makeWheel, rawUpload } from "./support/uploads";

test.describe.configure({ mode: "serial" });

const project = `wh-csp-${Date.now().toString(36)}`;

test.beforeAll(async ({ maintainer: { token } }) => {
  const filename = `${project.replace(/-/g, "_")}-1.0-py3-none-any.whl`;
  const uploaded = await rawUpload({
    token,
    name: project,
    version: "1.0",
    filename,
    content: await makeWheel({ name: project, version: "1.0" }),
  });
  expect(uploaded.status, uploaded.reason).toBe(200);
});

/** The policy's directives by name. */
function directives(response: APIResponse): Map<string, string[]> {
  const policy = response.headers()["content-security-policy"];
  expect(policy, `no policy on ${response.url()}`).toBeTruthy();
  return new Map(
    policy!
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectLockedDown(response: APIResponse): string[] {
  const policy = directives(response);
  expect(policy.get("object-src")).toEqual(["'none'"]);
  expect(policy.get("base-uri")).toEqual(["'none'"]);
  expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
  expect(policy.get("form-action")).toEqual(["'self'"]);
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  const scripts = policy.get("script-src")!;
  // This site's script files, and inline scripts only by nonce or hash: never 'unsafe-inline' or 'unsafe-eval'.
  expect(scripts[0]).toBe("'self'");
  for (const source of scripts.slice(1)) expect(source).toMatch(/^'(nonce|sha256)-[A-Za-z0-9+/_=-]+'$/);
  return scripts.slice(1);
}

test("every kind of HTML page carries the policy, each page Next renders with a nonce of its own", async ({
  request,
}) => {
  const rendered: [string, number][] = [
    ["/", 200],
    ["/help", 200],
    ["/account/login", 200],
    ["/search?q=csp", 200],
    ["/no-such-page", 404],
    ["/project/no-such-project", 404],
    // Signed-in visitors' project pages are rendered each time (a session cookie, even unknown, skips the cache).
  ];
  const seen = new Set<string>();
  for (const [path, status] of rendered) {
    for (let i = 0; i < 2; i++) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(status);
      expect(response.headers()["content-type"], path).toContain("text/html");
      const [nonce, ...more] = expectLockedDown(response);
      expect(more, path).toEqual([]);
      expect(nonce, path).toMatch(/^'nonce-/);
      // Never the same nonce twice, across pages and repeated requests alike.
      expect(seen.has(nonce!), `${path} reused a nonce`).toBe(false);
      seen.add(nonce!);
      // And Next marked its scripts with it.
      expect(await response.text(), path).toContain(`nonce="${nonce!.slice("'nonce-".length, -1)}"`);
    }
  }

  // The /simple/ index comes from the edge too (server/fast/simple-index.ts) and allows no inline script.
  expect(expectLockedDown(await request.get("/simple/"))).toEqual([]);
  // /simple/<project>/ comes from the server's fast path and allows no inline script at all.
  const simple = await request.get(`/simple/${project}/`, { headers: { accept: "text/html" } });
  expect(simple.status()).toBe(200);
  expect(expectLockedDown(simple)).toEqual([]);
  expect(expectLockedDown(await request.get("/simple/no-such-project/"))).toEqual([]);
});

test("a kept project page allows its own scripts by hash, never the nonce it was rendered with", async ({
  request,
}) => {
  const path = `/project/${project}`;
  // Warm the cache, then look at what every later visitor gets.
  await request.get(path);
  const first = await request.get(path);
  const second = await request.get(path);
  expect(first.status()).toBe(200);
  expect(second.headers().etag).toBe(first.headers().etag);
  const hashes = expectLockedDown(second);
  expect(hashes.length).toBeGreaterThan(0);
  for (const source of hashes) expect(source).toMatch(/^'sha256-/);
  // The body still shows the render's nonce to everyone: the policy must not accept it.
  const bodyNonce = /nonce="([^"]+)"/.exec(await second.text())?.[1];
  expect(bodyNonce).toBeTruthy();
  expect(second.headers()["content-security-policy"]).not.toContain(bodyNonce!);
});

test("the kept project page runs in Chromium without a violation", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const response = await page.goto(`/project/${project}`);
  expect(response?.headers()["content-security-policy"]).toContain("'sha256-");
  // The copy button works only once the page has hydrated, which needs every inline script to run.
  const install = page.getByTestId("pip-install");
  await install.getByRole("button", { name: "Copy" }).click();
  await expect(install.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await install.locator("code").textContent());
});

/** Serves `path` with `script` added to the body as it came from the server, its headers unchanged. */
async function slipIn(page: Page, path: string, script: (html: string) => string): Promise<void> {
  await page.route(
    (url) => url.pathname === path,
    async (route: Route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers["content-encoding"];
      delete headers["content-length"];
      const html = await response.text();
      await route.fulfill({ response, headers, body: html.replace("</body>", `${script(html)}</body>`) });
    },
  );
}

test("an inline script slipped into a page is blocked, also with a nonce seen in an earlier response", async ({
  page,
  cspViolations,
}) => {
  type Flagged = { __slipped?: number };
  const blocked = async (path: string) => {
    await page.goto(path);
    await expect.poll(() => cspViolations.length).toBeGreaterThan(0);
    expect(cspViolations.join("\n")).toMatch(/script-src/);
    expect(await page.evaluate(() => (window as Flagged).__slipped)).toBeUndefined();
    cspViolations.length = 0;
    await page.unrouteAll();
  };

  // A page Next renders for this request.
  await slipIn(page, "/help", () => "<script>window.__slipped = 1</script>");
  await blocked("/help");

  // A nonce from an earlier response (here the kept page's own, which every visitor can read).
  await slipIn(
    page,
    `/project/${project}`,
    (html) => `<script nonce="${/nonce="([^"]+)"/.exec(html)![1]}">window.__slipped = 2</script>`,
  );
  await blocked(`/project/${project}`);
  // And a rendered page's nonce, in the next response.
  const earlier = /'nonce-([^']+)'/.exec((await page.request.get("/help")).headers()["content-security-policy"]!)![1];
  await slipIn(page, "/help", () => `<script nonce="${earlier}">window.__slipped = 3</script>`);
  await blocked("/help");
});

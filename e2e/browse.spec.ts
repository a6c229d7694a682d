// A visitor finds a package by search and reads its page; a hostile README renders harmlessly.
import { test, expect } from "./support/test";
import { buildProject, twine } from "./support/python";
import { BASE_URL } from "./support/env";

const HOSTILE = `# Widget Toolkit

Useful **widgets** for everyone.

<script>window.__pwned = 1</script>
[click me](javascript:window.__pwned=2)
<a href="JaVaScRiPt:window.__pwned=3">also me</a>
<img src="x" onerror="window.__pwned=4">
<iframe src="https://evil.example/"></iframe>

| col | umn |
| --- | --- |
| a   | b   |
`;

test("home → search → project page with the README rendered safely", async ({ page: visitor, maintainer: user }) => {
  test.setTimeout(120_000);
  const built = await buildProject({
    name: "wh-widgets",
    version: "0.3.0",
    readme: HOSTILE,
    dependencies: ["wh-gadgets>=1"],
    code: "X = 1\n",
  });
  const uploaded = await twine([built.wheel, built.sdist], user.token);
  expect(uploaded.code, uploaded.stdout + uploaded.stderr).toBe(0);

  await visitor.goto("/");
  await expect(visitor.getByTestId("recent-projects")).toContainText("wh-widgets");
  await expect(visitor.getByTestId("site-counts")).toContainText(/\d+\s*projects?/i);
  await visitor.getByRole("main").getByRole("searchbox").fill("widgets");
  await visitor.getByRole("main").getByRole("button", { name: "Search" }).click();
  await expect(visitor).toHaveURL(/\/search\?q=widgets/);
  const results = visitor.getByTestId("search-results");
  await expect(results.getByRole("link").first()).toContainText("wh-widgets");
  await results
    .getByRole("link", { name: /wh-widgets/ })
    .first()
    .click();

  await expect(visitor).toHaveURL(/\/project\/wh-widgets$/);
  // From this index only: a bare `pip install wh-widgets` would take pypi.org's wh-widgets.
  await expect(visitor.getByTestId("pip-install").locator("code")).toHaveText(
    `pip install --index-url ${BASE_URL}/simple/ wh-widgets`,
  );
  const readme = visitor.getByTestId("readme");
  await expect(readme.getByRole("heading", { name: "Widget Toolkit" })).toBeVisible();
  await expect(readme.locator("strong")).toHaveText("widgets");
  await expect(readme.locator("table")).toBeVisible();
  const html = await readme.innerHTML();
  for (const bad of ["<script", "onerror", "<iframe"]) expect(html.toLowerCase()).not.toContain(bad);
  // A javascript: "link" may survive as plain text, never as a link.
  expect(
    await readme.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")!.toLowerCase())),
  ).not.toContainEqual(expect.stringContaining("javascript"));
  expect(await visitor.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(visitor.getByTestId("release-history").locator('[data-version="0.3.0"]')).toBeVisible();
  await expect(visitor.getByTestId("files")).toContainText("wh_widgets-0.3.0-py3-none-any.whl");
  await expect(visitor.getByTestId("dependencies").getByRole("link", { name: /wh-gadgets/ })).toHaveAttribute(
    "href",
    "/project/wh-gadgets",
  );
  await expect(visitor.getByTestId("maintainers").getByRole("link", { name: user.username })).toHaveAttribute(
    "href",
    `/user/${user.username}`,
  );

  // Non-normalised names redirect; unknown projects are a friendly 404.
  await visitor.goto("/project/WH_Widgets");
  await expect(visitor).toHaveURL(/\/project\/wh-widgets$/);
  const missing = await visitor.goto("/project/no-such-thing");
  expect(missing?.status()).toBe(404);
  await visitor.goto(`/user/${user.username}`);
  await expect(visitor.getByTestId("user-projects")).toContainText("wh-widgets");
  await visitor.goto("/search?q=zzzznothing");
  await expect(visitor.getByText(/No projects found/i)).toBeVisible();
  await visitor.goto("/search");
  await expect(visitor.getByTestId("search-results")).toContainText("wh-widgets");
});

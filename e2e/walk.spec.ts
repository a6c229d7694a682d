// A walk through every page, as a visitor and as a signed-in maintainer: each must fit a 390-px
// phone without sideways scrolling, no box sticking out and no word broken mid-letter (also at
// 1280 px), and axe must find no serious or critical accessibility violation in it, in light and
// in dark mode.
import { test, expect, type Page } from "./support/test";
import AxeBuilder from "@axe-core/playwright";
import { createVerifiedUser, enrolTotp, signIn, type TestUser } from "./support/accounts";
import { createToken } from "./support/tokens";
import { makeWheel, metadataText, rawUpload } from "./support/uploads";
import { elementsWiderThanViewport, wordsBrokenMidLetter } from "./support/layout";

const id = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`.replace(/[lio]/g, "x");
const PROJECT = `walk${id}`;

const VISITOR_PAGES = [
  "/",
  "/search",
  `/search?q=${PROJECT}`,
  "/search?q=zzzznothingmatches",
  `/project/${PROJECT}`,
  `/project/${PROJECT}/1.0`,
  `/project/${PROJECT}/9.9`,
  "/no/such/page",
  "/help",
  "/account/login",
  "/account/signup",
  "/account/reset-password",
];

const SIGNED_IN_PAGES = [
  "/account/settings",
  "/account/security",
  "/account/tokens",
  "/account/history",
  "/account/projects",
  "/account/invitations",
  `/manage/project/${PROJECT}`,
  `/manage/project/${PROJECT}/collaborators`,
  `/manage/project/${PROJECT}/history`,
  `/manage/project/${PROJECT}/settings`,
  `/project/${PROJECT}`,
  "/user/{owner}",
];

let owner: TestUser;
let ownerState: Awaited<ReturnType<import("@playwright/test").BrowserContext["storageState"]>>;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  owner = await createVerifiedUser("walker");
  const page = await (await browser.newContext()).newPage();
  await signIn(page, owner);
  const { app } = await enrolTotp(page, owner.password);
  // Tokens (and so the tokens table) and sudo mode for the signed-in pages.
  const token = await createToken(page, { name: "walk", password: owner.password, app });
  // A README with what renders wide: a table, a long code line, a long link.
  const readme = [
    "Description-Content-Type: text/markdown",
    "",
    `# ${PROJECT}`,
    "",
    "| Option | Meaning |",
    "|---|---|",
    "| `fast` | goes fast, with a longer explanation of what that means |",
    "",
    "```python",
    `from ${PROJECT} import configure; configure(retries=3, backoff_factor=0.5, timeout_seconds=30, verify=True)`,
    "```",
    "",
    "See https://example.invalid/a/rather/long/address/that/does/not/fit/on/a/phone/screen/at/all for more.",
    "",
  ].join("\n");
  const wheel = await makeWheel({ name: PROJECT, version: "1.0", metadata: metadataText(PROJECT, "1.0", readme) });
  const uploaded = await rawUpload({
    token,
    filename: `${PROJECT}-1.0-py3-none-any.whl`,
    content: wheel,
    name: PROJECT,
    version: "1.0",
  });
  expect(uploaded.status, uploaded.body).toBe(200);
  ownerState = await page.context().storageState();
  await page.context().close();
});

async function checkLayout(page: Page, path: string): Promise<void> {
  const viewport = page.viewportSize()!.width;
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect.soft(width, `${path} is ${width} px wide at ${viewport} px`).toBeLessThanOrEqual(viewport);
  expect
    .soft(await elementsWiderThanViewport(page), `${path} at ${viewport} px: boxes past the screen's edge`)
    .toEqual([]);
  expect.soft(await wordsBrokenMidLetter(page), `${path} at ${viewport} px: words broken mid-letter`).toEqual([]);
}

async function check(page: Page, path: string, scheme: "light" | "dark"): Promise<void> {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  await checkLayout(page, path);
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join("\n    ")}`,
    );
  expect.soft(bad, `${path} (${scheme})`).toEqual([]);
}

for (const scheme of ["light", "dark"] as const) {
  test(`every visitor page fits 390 px and passes axe (${scheme})`, async ({ browser }) => {
    test.setTimeout(180_000);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: scheme });
    const page = await context.newPage();
    for (const path of VISITOR_PAGES) await check(page, path, scheme);
    await context.close();
  });

  test(`every signed-in page fits 390 px and passes axe (${scheme})`, async ({ browser }) => {
    test.setTimeout(180_000);
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      colorScheme: scheme,
      storageState: ownerState,
    });
    const page = await context.newPage();
    for (const path of SIGNED_IN_PAGES) await check(page, path.replace("{owner}", owner.username), scheme);
    await context.close();
  });
}

test("on a phone: one search box on home and search pages, a one-line sort control, records as labelled cards", async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: ownerState });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByRole("searchbox", { name: "Search projects" })).toHaveCount(1);
  await expect(page.locator("#home-q")).toBeVisible();
  await page.goto("/search?q=walk");
  await page.waitForLoadState("networkidle");
  await expect(page.getByRole("searchbox")).toHaveCount(1);
  const sort = page.getByTestId("search-sort");
  const tops = await Promise.all(
    [sort.getByText("Sort by"), sort.getByLabel("Sort by"), sort.getByRole("button", { name: "Sort" })].map(
      async (l) => (await l.boundingBox())!,
    ),
  );
  // Each of the three overlaps the label's line.
  for (const box of tops) expect(box.y, "the sort control wraps").toBeLessThan(tops[0]!.y + tops[0]!.height);
  // A token is a card that names each value (the column headers are out of sight).
  await page.goto("/account/tokens");
  const row = page.getByTestId("tokens").locator("tbody tr").first();
  const created = row.locator('td[data-label="Created"]');
  const label = await created.evaluate((td) => getComputedStyle(td, "::before").content);
  expect(label).toBe('"Created"');
  expect((await created.boundingBox())!.width, "the cell spans the card").toBeGreaterThan(250);
  await context.close();
});

test("every page at 1280 px: nothing past the edge, no word broken mid-letter", async ({ browser }) => {
  test.setTimeout(120_000);
  for (const [pages, storageState] of [
    [VISITOR_PAGES, undefined],
    [SIGNED_IN_PAGES, ownerState],
  ] as const) {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      ...(storageState ? { storageState } : {}),
    });
    const page = await context.newPage();
    for (const path of pages) {
      await page.goto(path.replace("{owner}", owner.username));
      await page.waitForLoadState("networkidle");
      await checkLayout(page, path);
    }
    await context.close();
  }
});

test("dark mode follows the system setting", async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: "dark" });
  const page = await context.newPage();
  await page.goto("/");
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  // A dark background: each channel well below the middle.
  const channels = background.match(/\d+/g)!.slice(0, 3).map(Number);
  expect(Math.max(...channels), background).toBeLessThan(60);
  await context.close();
});

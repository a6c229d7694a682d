// What visitors and maintainers see: form fields, error pages, who sees "Manage project", the
// download files, search, RSS feeds, dates in the reader's time zone, and deleting a project or an
// account. One maintainer publishes one project (two releases) for the whole file.
import { test, expect, type Browser, type BrowserContext, type Page } from "./support/test";
import {
  confirmOnSecurityPage,
  createVerifiedUser,
  enrolTotp,
  enterSudo,
  signIn,
  submitPassword,
  type Authenticator,
  type TestUser,
} from "./support/accounts";
import { createToken } from "./support/tokens";
import { buildProject, twine } from "./support/python";
import { makeWheel, rawUpload } from "./support/uploads";
import { waitForMail } from "./support/mail";

test.describe.configure({ mode: "serial" });

const id = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`.replace(/[lio]/g, "x");
/** "frame" sits inside the name's only word, as in pypi.org's tidyframe. */
const PROJECT = `tidy${id}frame`;

let owner: TestUser;
let app: Authenticator;
let token: string;
let ownerState: Awaited<ReturnType<BrowserContext["storageState"]>>;

async function ownerPage(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ ...options, storageState: ownerState });
  return context.newPage();
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  owner = await createVerifiedUser("uxowner");
  const page = await (await browser.newContext()).newPage();
  await signIn(page, owner);
  ({ app } = await enrolTotp(page, owner.password));
  token = await createToken(page, { name: "ux", password: owner.password, app });
  for (const version of ["1.0.0", "1.1.0"]) {
    const built = await buildProject({ name: PROJECT, version, code: `VERSION = "${version}"\n` });
    const uploaded = await twine([built.sdist, built.wheel], token);
    expect(uploaded.code, uploaded.stdout + uploaded.stderr).toBe(0);
  }
  ownerState = await page.context().storageState();
  await page.context().close();
});

test("text and code inputs are full-size; the enrolment code field has a digit keypad, fits a recovery code", async ({
  page,
}) => {
  for (const [path, label] of [
    ["/account/login", "Username or email"],
    ["/account/signup", "Username"],
  ] as const) {
    await page.goto(path);
    const field = page.getByLabel(label, { exact: true });
    await expect(field).toHaveAttribute("type", "text");
    const box = (await field.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(36);
    expect(box.width).toBeGreaterThanOrEqual(200);
  }

  const user = await createVerifiedUser("uxfields");
  await signIn(page, user);
  await confirmOnSecurityPage(page, user.password);
  await page.getByRole("button", { name: "Add an authenticator app" }).click();
  const code = page.getByLabel("Code from the app");
  await expect(code).toBeVisible();
  await expect(code).toHaveAttribute("type", "text");
  await expect(code).toHaveAttribute("inputmode", "numeric");
  await expect(code).toHaveAttribute("autocomplete", "one-time-code");
  expect((await code.boundingBox())!.height).toBeGreaterThanOrEqual(36);
  // A recovery code (the longest thing typed into a code field) shows whole.
  await code.fill("wh-abcd-efgh-jkmn-pqrs");
  expect(await code.evaluate((el: HTMLInputElement) => el.scrollWidth <= el.clientWidth)).toBe(true);
});

test("every code field brings the digit keypad for the app's code, and a recovery code can be typed instead", async ({
  browser,
}) => {
  const user = await createVerifiedUser("uxcodes");
  const setup = await (await browser.newContext()).newPage();
  await signIn(setup, user);
  const { recoveryCodes } = await enrolTotp(setup, user.password);
  await setup.context().close();

  // The sign-in step: a roomy numeric field for the app, a text field for a recovery code on demand.
  const page = await (await browser.newContext()).newPage();
  await submitPassword(page, user.username, user.password);
  await expect(page).toHaveURL(/\/account\/two-factor/);
  const step = page.getByLabel("Authentication code");
  await expect(step).toHaveAttribute("type", "text");
  await expect(step).toHaveAttribute("inputmode", "numeric");
  await expect(step).toHaveAttribute("autocomplete", "one-time-code");
  expect((await step.boundingBox())!.height).toBeGreaterThanOrEqual(36);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  const recovery = page.getByLabel("Recovery code");
  await expect(recovery).toBeFocused();
  await expect(recovery).toHaveAttribute("inputmode", "text");
  await expect(step).toHaveCount(0);
  await recovery.pressSequentially(recoveryCodes[0]!);
  expect(await recovery.evaluate((el: HTMLInputElement) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).not.toHaveURL(/\/account\/two-factor/);

  // Confirming it is you: the same choice, and back again.
  await page.goto("/account/security");
  const form = page.getByTestId("sudo-form");
  const code = form.getByLabel("Two-factor code");
  await expect(code).toHaveAttribute("inputmode", "numeric");
  await expect(code).toHaveAttribute("autocomplete", "one-time-code");
  await form.getByRole("button", { name: "Use a recovery code instead" }).click();
  await form.getByRole("button", { name: "Use a code from your authenticator app instead" }).click();
  await expect(form.getByLabel("Two-factor code")).toBeFocused();
  await form.getByRole("button", { name: "Use a recovery code instead" }).click();
  await form.getByLabel("Your password").fill(user.password);
  await form.getByLabel("Recovery code").fill(recoveryCodes[1]!);
  await form.getByRole("button", { name: "Confirm", exact: true }).click();
  await expect(form).toHaveCount(0);
  await page.context().close();
});

test("a missing version says so and links to the project; an unknown page is a styled 404", async ({ page }) => {
  const response = await page.goto(`/project/${PROJECT}/9.9.9`);
  expect(response?.status()).toBe(404);
  await expect(page).toHaveTitle(/Version not found/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Version not found");
  await expect(page.getByTestId("release-not-found")).toContainText(`There is no version 9.9.9 of ${PROJECT}`);
  await page.getByRole("link", { name: `See the versions of ${PROJECT}` }).click();
  await expect(page).toHaveURL(new RegExp(`/project/${PROJECT}#history$`));
  await expect(page.getByTestId("project-name")).toHaveText(PROJECT);

  expect((await page.goto("/no/such/page"))?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.locator("header.site-header")).toBeVisible();
});

test("Manage project shows only to the project's members", async ({ browser }) => {
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`/project/${PROJECT}`);
  await expect(visitor.getByTestId("project-name")).toHaveText(PROJECT);
  await expect(visitor.getByRole("link", { name: "Manage project" })).toHaveCount(0);

  const stranger = await createVerifiedUser("uxstranger");
  await signIn(visitor, stranger);
  await visitor.goto(`/project/${PROJECT}`);
  await expect(visitor.getByTestId("maintainers")).toContainText(owner.username);
  await expect(visitor.getByRole("link", { name: "Manage project" })).toHaveCount(0);
  await visitor.context().close();

  const member = await ownerPage(browser);
  await member.goto(`/project/${PROJECT}`);
  await member.getByRole("link", { name: "Manage project" }).click();
  await expect(member).toHaveURL(new RegExp(`/manage/project/${PROJECT}$`));
  await member.context().close();
});

test("download files are grouped into source and built distributions, each hash with a copy button", async ({
  browser,
}) => {
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  await page.goto(`/project/${PROJECT}`);
  const files = page.getByTestId("files");
  const source = files.getByRole("region", { name: "Source distribution" });
  const built = files.getByRole("region", { name: "Built distributions" });
  await expect(source).toContainText(`${PROJECT}-1.1.0.tar.gz`);
  await expect(source).not.toContainText(".whl");
  await expect(built).toContainText(`${PROJECT}-1.1.0-py3-none-any.whl`);
  await expect(built).not.toContainText(".tar.gz");

  const wheel = built.locator(`[data-filename="${PROJECT}-1.1.0-py3-none-any.whl"]`);
  await wheel.getByText(`Hashes for ${PROJECT}-1.1.0-py3-none-any.whl`).click();
  const sha256 = wheel.locator('[data-algorithm="SHA256"]');
  const digest = (await sha256.locator("code").textContent())!;
  expect(digest).toMatch(/^[0-9a-f]{64}$/);
  await expect(wheel.locator('[data-algorithm="MD5"] code')).toHaveText(/^[0-9a-f]{32}$/);
  await expect(wheel.locator('[data-algorithm="BLAKE2b-256"] code')).toHaveText(/^[0-9a-f]{64}$/);
  await sha256.getByRole("button", { name: "Copy" }).click();
  await expect(sha256.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(digest);
  // The digest is the file's: the same as the simple index says.
  const simple = await (await page.request.get(`/simple/${PROJECT}/`)).text();
  expect(simple).toContain(`${PROJECT}-1.1.0-py3-none-any.whl#sha256=${digest}`);
  await context.close();
});

test("search finds a fragment inside a name, sorts, and counts the filter for this query", async ({ page }) => {
  await page.goto(`/search?q=${id}frame`);
  const results = page.getByTestId("search-results");
  await expect(results.getByRole("link", { name: new RegExp(PROJECT) })).toBeVisible();
  // Counts are of this query's results (one project), not of the whole index.
  const filter = page.getByTestId("classifier-filter");
  await expect(filter.getByRole("checkbox", { name: /MIT License/ })).toBeVisible();
  await expect(filter.locator("label", { hasText: "MIT License" })).toContainText("(1)");
  await expect(filter.getByRole("button", { name: "Apply filters" })).toBeVisible();

  await page.goto("/search?q=zzzznothingmatches");
  await expect(page.getByTestId("classifier-filter")).not.toContainText("MIT License");
  // Nothing to tick: no "Apply filters" button that would do nothing.
  await expect(page.getByTestId("classifier-filter")).toContainText("None of these results has classifiers.");
  await expect(page.getByTestId("classifier-filter").getByRole("button", { name: "Apply filters" })).toHaveCount(0);

  await page.goto(`/search?q=${id}`);
  await page.getByLabel("Sort by").selectOption("name");
  await page.getByTestId("search-sort").getByRole("button", { name: "Sort" }).click();
  await expect(page).toHaveURL(/[?&]o=name/);
  await expect(page.getByLabel("Sort by")).toHaveValue("name");
  await expect(results.getByRole("link", { name: new RegExp(PROJECT) })).toBeVisible();
});

test("RSS feeds of the newest projects, the latest releases and one project's releases, linked from the pages", async ({
  page,
  request,
}) => {
  const updates = await request.get("/rss/updates.xml");
  expect(updates.headers()["content-type"]).toContain("application/rss+xml");
  const updatesXml = await updates.text();
  expect(updatesXml).toContain(`<title>${PROJECT} 1.1.0</title>`);
  expect(updatesXml).toMatch(new RegExp(`<link>http://[^<]+/project/${PROJECT}/1\\.1\\.0</link>`));
  expect(await (await request.get("/rss/packages.xml")).text()).toContain(`<title>${PROJECT} added</title>`);
  const feed = await (await request.get(`/rss/project/${PROJECT}/releases.xml`)).text();
  expect(feed.indexOf("<title>1.1.0</title>")).toBeGreaterThan(0);
  expect(feed.indexOf("<title>1.1.0</title>")).toBeLessThan(feed.indexOf("<title>1.0.0</title>"));
  expect((await request.get("/rss/project/no-such-project-here/releases.xml")).status()).toBe(404);

  await page.goto(`/project/${PROJECT}`);
  await expect(page.locator(`link[rel="alternate"][type="application/rss+xml"]`)).toHaveAttribute(
    "href",
    new RegExp(`/rss/project/${PROJECT}/releases.xml$`),
  );
  await page.getByRole("link", { name: "RSS feed of releases" }).click();
  await expect(page).toHaveURL(new RegExp(`/rss/project/${PROJECT}/releases.xml$`));
  await page.goto("/");
  await expect(page.getByTestId("site-feeds").getByRole("link", { name: "latest releases" })).toHaveAttribute(
    "href",
    "/rss/updates.xml",
  );
});

test("dates show in the reader's time zone, with the exact UTC time on hover", async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: "Asia/Tokyo" });
  const page = await context.newPage();
  await page.goto(`/project/${PROJECT}`);
  const released = page.getByTestId("project-header").locator("time");
  await expect(released).toContainText("GMT+9");
  await expect(released).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M GMT\+9$/);
  await expect(released).toHaveAttribute("title", /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
  // The same format in the release history and the file list.
  await expect(page.getByTestId("release-history").locator("time").first()).toContainText("GMT+9");
  await expect(page.getByTestId("files").locator("time").first()).toContainText("GMT+9");
  await context.close();
});

test("an owner deletes the project: gone everywhere at once, its name never reusable", async ({ browser }) => {
  test.setTimeout(120_000);
  // A project of its own, so that the other tests keep theirs.
  const doomed = `gone${id}`;
  const wheel = await makeWheel({ name: doomed, version: "1.0" });
  expect(
    (
      await rawUpload({
        token,
        filename: `${doomed}-1.0-py3-none-any.whl`,
        content: wheel,
        name: doomed,
        version: "1.0",
      })
    ).status,
  ).toBe(200);
  const page = await ownerPage(browser);
  expect((await page.request.get(`/simple/${doomed}/`)).status()).toBe(200);
  await page.goto(`/manage/project/${doomed}/settings`);
  if (await page.getByTestId("sudo-form").count()) await enterSudo(page, owner.password, await app.code());
  await page.getByText(`Delete ${doomed}…`).click();
  const form = page.getByTestId("delete-project-form");
  await form.getByRole("textbox").fill("not-the-name");
  await form.getByRole("button", { name: "Delete project" }).click();
  await expect(form).toContainText(`Type the project's name, ${doomed}, to confirm the deletion.`);
  await form.getByRole("textbox").fill(doomed);
  await form.getByRole("button", { name: "Delete project" }).click();
  await expect(page).toHaveURL(/\/account\/projects\?deleted=/);
  await expect(page.getByTestId("project-deleted")).toContainText(`${doomed} was deleted`);
  await waitForMail(owner.email, new RegExp(`project ${doomed}.*was deleted`));

  const visitor = await (await browser.newContext()).newPage();
  expect((await visitor.goto(`/project/${doomed}`))?.status()).toBe(404);
  expect((await visitor.request.get(`/simple/${doomed}/`)).status()).toBe(404);
  expect((await visitor.request.get(`/pypi/${doomed}/json`)).status()).toBe(404);
  expect(await (await visitor.request.get("/simple/")).text()).not.toContain(`/simple/${doomed}/`);
  await visitor.context().close();

  // Nobody, the old owner included, can take the name (or a look-alike) again.
  const again = await makeWheel({ name: doomed, version: "2.0" });
  const refused = await rawUpload({
    token,
    filename: `${doomed}-2.0-py3-none-any.whl`,
    content: again,
    name: doomed,
    version: "2.0",
  });
  expect(refused.status).toBe(400);
  expect(refused.reason).toContain("belonged to a deleted project");
  await page.goto("/account/history");
  await expect(
    page.getByTestId("security-history").getByRole("cell", { name: "Project deleted", exact: true }).first(),
  ).toBeVisible();
  await page.context().close();
});

test("deleting an account: refused while sole owner, then signed out everywhere and the username retired", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  // The owner cannot leave: the page names the project that would be left without an owner.
  const ownerView = await ownerPage(browser);
  await ownerView.goto("/account/settings");
  await expect(ownerView.getByTestId("sole-owned-projects")).toContainText(PROJECT);
  await expect(ownerView.getByRole("button", { name: "Delete my account" })).toHaveCount(0);
  await ownerView.context().close();

  const user = await createVerifiedUser("uxleaver");
  await signIn(page, user);
  const other = await (await browser.newContext()).newPage();
  await signIn(other, user);
  await page.goto("/account/settings");
  await enterSudo(page, user.password);
  await page.getByText("Delete my account…").click();
  const form = page.getByTestId("delete-account-form");
  await form.getByRole("textbox").fill(user.username);
  await form.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/account\/deleted$/);
  await expect(page.getByRole("heading", { name: "Your account was deleted" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await waitForMail(user.email, /your account was deleted/);

  // The other browser is signed out; the password no longer works; the username is retired.
  await other.goto("/account/settings");
  await expect(other).toHaveURL(/\/account\/login/);
  await other.getByLabel("Username or email").fill(user.username);
  await other.getByLabel("Password").fill(user.password);
  await other.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(other.getByTestId("login-status")).toContainText("not correct");
  await other.goto("/account/signup");
  await other.getByLabel("Username").fill(user.username);
  await other.getByLabel("Email address").fill(`new-${user.email}`);
  await other.getByLabel("Password", { exact: true }).fill(user.password);
  await other.getByLabel("Confirm password").fill(user.password);
  await other.getByRole("button", { name: "Create account" }).click();
  await expect(other.locator("#field-username-error")).toContainText("This username is not available");
  await other.context().close();
});

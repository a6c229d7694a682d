// Project pages are one copy for every visitor, as on pypi.org: the server keeps them in memory for
// signed-in visitors too, so they must hold nothing personal. The header's account links and
// "Manage project" are filled in by the browser from /_includes/current-user.
import { test, expect } from "./support/test";
import { createVerifiedUser, enrolTotp, expectSignedOut, signIn } from "./support/accounts";
import { createToken } from "./support/tokens";
import { makeWheel, rawUpload } from "./support/uploads";

test("a project page is the same bytes for everyone; each visitor's browser shows who they are", async ({
  page,
  browser,
  request,
}) => {
  // Two accounts made through the admin command line (a Node process each: slow on a loaded machine).
  test.setTimeout(240_000);
  const owner = await createVerifiedUser("sharer");
  await signIn(page, owner);
  const { app } = await enrolTotp(page, owner.password);
  const token = await createToken(page, { name: "shared", password: owner.password, app });
  const name = `wh-shared-${owner.username.slice("sharer-".length)}`;
  const uploaded = await rawUpload({
    token,
    name,
    version: "1.0",
    filename: `${name.replace(/-/g, "_")}-1.0-py3-none-any.whl`,
    content: await makeWheel({ name, version: "1.0" }),
  });
  expect(uploaded.status, uploaded.body).toBe(200);

  // The owner asks first, so the kept copy is the one made for their request: it still holds
  // nothing of theirs, and an anonymous visitor gets exactly those bytes.
  const asOwner = await page.request.get(`/project/${name}`);
  expect(asOwner.status()).toBe(200);
  const ownerBytes = await asOwner.text();
  const anonymous = await request.get(`/project/${name}`, { headers: { cookie: "" } });
  expect(await anonymous.text()).toBe(ownerBytes);
  // Both now get the one kept copy.
  const keptEtag = anonymous.headers()["etag"];
  expect(keptEtag).toMatch(/^"p-/);
  const ownerAgain = await page.request.get(`/project/${name}`);
  expect(ownerAgain.headers()["etag"]).toBe(keptEtag);
  expect(await ownerAgain.text()).toBe(ownerBytes);
  for (const personal of ["signed-in-as", "manage-link", "Sign out", owner.email])
    expect(ownerBytes).not.toContain(personal);

  // The include is personal: never stored by anyone.
  const include = await page.request.get("/_includes/current-user");
  expect(include.headers()["cache-control"]).toBe("private, no-store");
  expect(await include.json()).toEqual({ username: owner.username });
  expect(await (await request.get("/_includes/current-user", { headers: { cookie: "" } })).json()).toEqual({
    username: null,
  });

  // The owner sees their name and "Manage project".
  await page.goto(`/project/${name}`);
  await expect(page.getByTestId("signed-in-as")).toHaveText(owner.username);
  await expect(page.getByTestId("manage-link")).toHaveAttribute("href", `/manage/project/${name}`);

  // Another signed-in user sees their own name, and no "Manage project".
  const other = await createVerifiedUser("visitor");
  const otherContext = await browser.newContext();
  const otherPage = await otherContext.newPage();
  await signIn(otherPage, other);
  await otherPage.goto(`/project/${name}`);
  await expect(otherPage.getByTestId("signed-in-as")).toHaveText(other.username);
  await expect(otherPage.getByTestId("maintainers")).toContainText(owner.username);
  await expect(otherPage.getByTestId("manage-link")).toHaveCount(0);
  await otherContext.close();

  // A visitor without a session is offered to sign in.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`/project/${name}`);
  await expectSignedOut(visitor);
  await expect(visitor.getByTestId("manage-link")).toHaveCount(0);
  await visitorContext.close();

  // Signing out from the page one is on updates the header at once, before the action answers.
  // The next page is asked for once the session has ended (the edge answers the include at once,
  // while the sign-out action may still be running in the Next.js worker).
  const ended = page.waitForResponse(
    (res) => res.request().method() === "POST" && !!res.request().headers()["next-action"],
  );
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expectSignedOut(page);
  await ended;
  await page.goto(`/project/${name}`);
  await expectSignedOut(page);
  await expect(page.getByTestId("manage-link")).toHaveCount(0);
});

test("without JavaScript the header is a plain Account link to the account pages", async ({ browser }) => {
  const user = await createVerifiedUser("nojs");
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/help");
  const account = page.getByRole("navigation", { name: "Account", exact: true }).getByRole("link", { name: "Account" });
  await expect(account).toHaveAttribute("href", "/account/settings");
  await account.click();
  await expect(page).toHaveURL(/\/account\/login\?next=%2Faccount%2Fsettings/);
  await page.getByLabel("Username or email").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("account-username")).toHaveText(user.username);
  await context.close();
});

// What an outside attacker probed: return addresses after sign-in, what Auth.js's endpoints reveal
// mid-sign-in, and email links that changed an account when anyone opened them.
import { test, expect, request as playwrightRequest } from "./support/test";
import { createVerifiedUser, enterSudo, signIn, signOut, submitPassword, submitSecondFactor } from "./support/accounts";
import { sql } from "./support/db";
import { BASE_URL } from "./support/env";
import { linkIn, waitForMail } from "./support/mail";

const ORIGIN = new URL(BASE_URL).origin;

test("a link to an account page leads back there after sign-in", async ({ page, verifiedUser: user }) => {
  for (const target of ["/account/tokens", "/account/invitations"]) {
    await page.goto(target);
    await expect(page).toHaveURL(/\/account\/login\?next=/);
    await page.getByLabel("Username or email").fill(user.username);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${BASE_URL}${target}`);
    await signOut(page);
  }
});

test("through the second-factor step too; half signed in, Auth.js endpoints tell nobody who or at what stage", async ({
  page,
  maintainer: user,
}) => {
  await page.goto("/account/history");
  await expect(page).toHaveURL(/\/account\/login\?next=%2Faccount%2Fhistory/);
  await page.getByLabel("Username or email").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/account\/two-factor/);

  const id = (await sql<{ id: string }>("SELECT id FROM users WHERE username = $1", [user.username]))[0]!.id;
  for (const endpoint of ["/api/auth/session", "/api/auth/csrf", "/api/auth/providers"]) {
    const response = await page.request.get(endpoint);
    const body = await response.text();
    expect(response.status(), endpoint).toBe(404);
    expect(body).not.toContain(id);
    expect(body).not.toContain("pending_2fa");
  }

  await submitSecondFactor(page, await user.secondFactor.code());
  await expect(page).toHaveURL(`${BASE_URL}/account/history`);
});

test("turning 2FA on is recorded with how, and emailed with what, when, from where and where to act", async ({
  maintainerPage: page,
  maintainer: user,
}) => {
  await page.goto("/account/history");
  const enabled = page.getByTestId("security-history").locator('tr[data-tag="2fa:enabled"]');
  await expect(enabled.getByTestId("event-summary")).toHaveText("authenticator app");
  await expect(enabled).toContainText("127.0.0.1");
  await expect(enabled).toContainText("Chrome");
  const notice = await waitForMail(user.email, /two-factor authentication was enabled/);
  expect(notice.text).toMatch(/When: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(\w+day, \d+ \w+ \d{4} at \d\d:\d\d UTC\)/);
  expect(notice.text).toContain("From: IP address 127.0.0.1, Chrome");
  expect(notice.text).toContain(`Review it or act: ${BASE_URL}/account/security`);
});

test("no return address leads off the site, whether signing in or already signed in", async ({
  page,
  verifiedUser: user,
}) => {
  const tricks = [
    "/%09/evil.example/x",
    "/%5C/evil.example",
    "/.//evil.example",
    "//evil.example",
    "/%0d%0a/evil.example",
  ];
  for (const next of tricks) {
    await page.goto(`/account/login?next=${next}`);
    await page.getByLabel("Username or email").fill(user.username);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);
    expect(new URL(page.url()).origin, next).toBe(ORIGIN);

    // Signed in, both pages send the browser on at once: only ever to this site.
    for (const path of ["/account/login", "/account/two-factor"]) {
      const response = await page.request.get(`${path}?next=${next}`, { maxRedirects: 0 });
      expect(response.status(), `${path}?next=${next}`).toBe(307);
      expect(new URL(response.headers().location!, BASE_URL).origin, `${path}?next=${next}`).toBe(ORIGIN);
    }
    await signOut(page);
  }
});

test("an email change applies only when its owner confirms it on the page", async ({ page, browser }) => {
  const owner = await createVerifiedUser("owner");
  const newEmail = `moved-${owner.username}@example.test`;
  const addressOf = async () =>
    (await sql<{ email: string }>("SELECT email FROM users WHERE username = $1", [owner.username]))[0]!.email;

  await signIn(page, owner);
  await page.goto("/account/settings");
  await enterSudo(page, owner.password);
  const form = page.getByTestId("change-email-form");
  await form.getByLabel("New email address").fill(newEmail);
  await form.getByLabel("Current password").fill(owner.password);
  await form.getByRole("button", { name: "Change email" }).click();
  await expect(page.getByTestId("change-email-status")).toContainText(`We sent a verification link to ${newEmail}`);
  const link = linkIn(await waitForMail(newEmail, /Verify your email/), "/account/verify-email?token=");

  // A mail scanner fetching the link, without cookies, changes nothing.
  const scanner = await playwrightRequest.newContext();
  expect((await scanner.get(link)).status()).toBe(200);
  await scanner.dispose();
  expect(await addressOf()).toBe(owner.email);

  // Another signed-in user opening it sees no address and no button, and changes nothing.
  const intruder = await createVerifiedUser("intruder");
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signIn(other, intruder);
  await other.goto(link);
  await expect(other.getByTestId("verify-result")).toContainText("sent for another account");
  await expect(other.getByText(newEmail)).toHaveCount(0);
  await expect(other.getByRole("button")).not.toContainText(["Change my email address"]);
  await otherContext.close();
  expect(await addressOf()).toBe(owner.email);

  // The owner sees what will change and confirms it.
  await page.goto(link);
  await expect(page.getByTestId("verify-result")).toContainText(`from ${owner.email} to ${newEmail}`);
  expect(await addressOf()).toBe(owner.email);
  await page.getByRole("button", { name: "Change my email address" }).click();
  await expect(page.getByTestId("action-outcome")).toContainText(`Your email address is now ${newEmail}`);
  expect(await addressOf()).toBe(newEmail);
  // The address the account left is told, as PyPI does: that is where its owner would notice.
  const told = await waitForMail(owner.email, /your account's email address was changed/);
  expect(told.to).not.toContain(newEmail);

  // Used once; and the old address no longer signs in, the new one does.
  await page.goto(link);
  await expect(page.getByTestId("verify-result")).toContainText("invalid, was already used or has expired");
  await signOut(page);
  await submitPassword(page, owner.email, owner.password);
  await expect(page.getByTestId("login-status")).toContainText("not correct");
  await submitPassword(page, newEmail, owner.password);
  await expect(page.getByTestId("signed-in-as")).toHaveText(owner.username);
});

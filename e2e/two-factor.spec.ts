import { test, expect, type Page } from "./support/test";
import {
  admin,
  createVerifiedUser,
  enrolTotp,
  enterSudo,
  expectHistory,
  expectSignedOut,
  signIn,
  signOut,
  submitPassword,
  submitSecondFactor,
  type TestUser,
} from "./support/accounts";
import { linkIn, waitForMail } from "./support/mail";

const status = (page: Page) => page.getByTestId("two-factor-status");

// Each test enrols an account of its own (it signs it out, replays its codes or resets it): close to
// a minute when other jobs load the 2-core machine.
test.describe.configure({ timeout: 120_000 });

/** A new account signed in on `page`, with the authenticator app enrolled (and so in sudo mode). */
async function enrolled(page: Page, prefix: string) {
  const user = await createVerifiedUser(prefix);
  await signIn(page, user);
  return { user, ...(await enrolTotp(page, user.password)) };
}

/** Signs out, then in again with the password, leaving the page at the second-factor step. */
async function passwordStep(page: Page, user: TestUser, password = user.password): Promise<void> {
  await signOut(page);
  await submitPassword(page, user.username, password);
  await expect(page).toHaveURL(/\/account\/two-factor/);
}

test(
  "enrolling shows ten distinct recovery codes, emails the user, " +
    "and then sign-in stops at the code step, which grants nothing else",
  async ({ page }) => {
    const { user, app, recoveryCodes } = await enrolled(page, "dora");
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^wh-[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
    await waitForMail(user.email, /two-factor authentication was enabled/);
    await expect(page.getByTestId("recovery-remaining")).toHaveText("10");

    await passwordStep(page, user);
    await expectSignedOut(page);
    await page.goto("/account/settings");
    await expect(page).toHaveURL(/\/account\/login/);
    await page.goto("/account/two-factor");
    await submitSecondFactor(page, "000000");
    await expect(status(page)).toContainText("That code is not valid");
    await submitSecondFactor(page, await app.code());
    await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);
    await expectHistory(page, ["Two-factor authentication enabled", "Wrong two-factor code"]);
  },
);

test("a code that signed in once is refused as a replay on the next sign-in", async ({ page }) => {
  const { user, app } = await enrolled(page, "replay");
  await passwordStep(page, user);
  const code = await app.code();
  await submitSecondFactor(page, code);
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);
  await passwordStep(page, user);
  await submitSecondFactor(page, code);
  await expect(status(page)).toContainText("already used");
  await expectSignedOut(page);
});

test("a recovery code signs in once, in either case, and never again", async ({ page }) => {
  const { user, recoveryCodes } = await enrolled(page, "recover");
  await passwordStep(page, user);
  await submitSecondFactor(page, recoveryCodes[0]!.toUpperCase());
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);
  await waitForMail(user.email, /recovery code was used/);
  await passwordStep(page, user);
  await submitSecondFactor(page, recoveryCodes[0]!);
  await expect(status(page)).toContainText("That code is not valid");
  await submitSecondFactor(page, recoveryCodes[1]!);
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);
  await page.goto("/account/security");
  await expect(page.getByTestId("recovery-remaining")).toHaveText("8");
  await expectHistory(page, ["Recovery code used"]);
});

test("a password reset signs nobody in and keeps 2FA; its link works once", async ({ page }) => {
  const { user, recoveryCodes } = await enrolled(page, "reset");
  await signOut(page);
  await page.goto("/account/reset-password");
  await page.getByLabel("Username or email").fill(user.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByTestId("reset-status")).toContainText("If an account matches");
  const reset = await waitForMail(user.email, /Reset your Wheelhouse password/);
  await page.goto(linkIn(reset, "/account/reset-password/confirm?token="));
  const newPassword = `${user.password} reset`;
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Confirm new password").fill(newPassword);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/account\/login\?reset=1/);
  await expectSignedOut(page);
  // The sign-in page still asks for the second factor.
  await submitPassword(page, user.username, newPassword);
  await expect(page).toHaveURL(/\/account\/two-factor/);
  await submitSecondFactor(page, recoveryCodes[1]!);
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);

  await page.goto(linkIn(reset, "/account/reset-password/confirm?token="));
  await expect(page.getByText("invalid, was already used or has expired")).toBeVisible();
  await expectHistory(page, ["Password reset requested", "Password reset completed"]);
});

test("sudo mode with 2FA on needs both the password and a valid code", async ({ page }) => {
  const { user, app, recoveryCodes } = await enrolled(page, "sudo");
  // A new session starts without sudo mode; signing in with a recovery code leaves the app's code free.
  await passwordStep(page, user);
  await submitSecondFactor(page, recoveryCodes[0]!);
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);
  await page.goto("/account/security");
  const sudo = page.getByTestId("sudo-form");
  await sudo.getByLabel("Your password").fill(user.password);
  await sudo.getByRole("button", { name: "Confirm" }).click();
  await expect(sudo.getByText("Enter a code from your authenticator app")).toBeVisible();
  await sudo.getByLabel("Your password").fill(user.password);
  await sudo.getByLabel("Two-factor code").fill("123456");
  await sudo.getByRole("button", { name: "Confirm" }).click();
  await expect(sudo.getByText("That code is not valid")).toBeVisible();
  await enterSudo(page, user.password, await app.code());
  await expect(page.getByRole("button", { name: "Disable two-factor authentication" })).toBeVisible();
});

test("another browser's session is signed out from the sessions list", async ({ page, browser }) => {
  const { user, recoveryCodes } = await enrolled(page, "sessions");
  const other = await browser.newContext({ userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" });
  const otherPage = await other.newPage();
  await submitPassword(otherPage, user.username, user.password);
  await submitSecondFactor(otherPage, recoveryCodes[0]!);
  await expect(otherPage.getByTestId("signed-in-as")).toHaveText(user.username);

  // Still in sudo mode from enrolling.
  await page.goto("/account/security");
  const firefoxRow = page.getByTestId("sessions").getByRole("row", { name: /Firefox/ });
  await firefoxRow.getByRole("button", { name: "Sign out" }).click();
  await page
    .getByRole("dialog", { name: "Sign this session out?" })
    .getByRole("button", { name: "Sign it out" })
    .click();
  await expect(firefoxRow).toHaveCount(0);
  await expect(page.getByTestId("action-outcome")).toContainText("The session was signed out.");
  await otherPage.goto("/account/security");
  await expect(otherPage).toHaveURL(/\/account\/login/);
  await other.close();
  await expectHistory(page, ["Sessions revoked"]);
});

test("turning 2FA off says what it removes before it does anything, and emails the user", async ({ page }) => {
  const { user } = await enrolled(page, "off");
  // Still in sudo mode from enrolling.
  await page.goto("/account/security");
  await page.getByRole("button", { name: "Disable two-factor authentication" }).click();
  await expect(page.getByTestId("confirm-consequence")).toContainText("signs out your other sessions");
  await expect(page.getByTestId("2fa-state")).toHaveText("On");
  await page.getByRole("button", { name: "Yes, turn off two-factor authentication" }).click();
  await expect(page.getByTestId("security-notice")).toContainText("Two-factor authentication is off");
  await expect(page.getByTestId("2fa-state")).toHaveText("Off");
  await waitForMail(user.email, /two-factor authentication was disabled/);
  await expectHistory(page, ["Two-factor authentication disabled"]);
});

test("a pending second-factor session opens no page and runs no server action", async ({ page, browser }) => {
  const user = await createVerifiedUser("erin");
  await signIn(page, user);
  const { app, recoveryCodes } = await enrolTotp(page, user.password);
  // Enrolment confirmed it is you; a new sign-in starts without sudo mode. It takes a recovery
  // code so that the app's next code is free for sudo mode without waiting for the clock.
  await signOut(page);
  await submitPassword(page, user.username, user.password);
  await submitSecondFactor(page, recoveryCodes[0]!);
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);

  // Record a real server action call (entering sudo mode) made by the full session.
  await page.goto("/account/security");
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]),
    enterSudo(page, user.password, await app.code()),
  ]);

  // A second browser stops at the code step: its cookie is a pending session.
  const pending = await browser.newContext();
  const pendingPage = await pending.newPage();
  await submitPassword(pendingPage, user.username, user.password);
  await expect(pendingPage).toHaveURL(/\/account\/two-factor/);
  for (const path of ["/account/settings", "/account/security", "/account/history"]) {
    await pendingPage.goto(path);
    await expect(pendingPage).toHaveURL(/\/account\/login/);
  }

  // Replaying the action with the pending cookie is refused, and grants no sudo mode.
  const replay = await pending.request.post(request.url(), {
    headers: { ...request.headers(), cookie: (await pending.cookies()).map((c) => `${c.name}=${c.value}`).join("; ") },
    data: request.postDataBuffer() ?? undefined,
  });
  expect(await replay.text()).toContain("Sign in to continue.");
  await pending.close();
});

test("an operator resets a lost second factor: sessions end, the reason is recorded, the user is told", async ({
  page,
}) => {
  const user = await createVerifiedUser("fred");
  await signIn(page, user);
  await enrolTotp(page, user.password);

  const missingReason = await admin("reset-2fa", user.username);
  expect(missingReason.code).toBe(2);
  expect(missingReason.stderr).toContain("--reason");

  const result = await admin("reset-2fa", user.username, "--reason", "lost phone; identity checked by video call");
  expect(result.code, result.stderr).toBe(0);
  await waitForMail(user.email, /administrator turned off two-factor/);

  await page.goto("/account/security");
  await expect(page).toHaveURL(/\/account\/login/);
  await submitPassword(page, user.username, user.password);
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);
  await page.goto("/account/history");
  const row = page.getByTestId("security-history").getByRole("row", { name: /reset by an administrator/ });
  await expect(row).toContainText("lost phone; identity checked by video call");
});

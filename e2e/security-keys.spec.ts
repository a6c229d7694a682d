// Security keys and passkeys in Chromium, with the DevTools virtual authenticator standing in for a
// YubiKey or a laptop's Touch ID. The page is served from localhost: an IP address cannot be a
// WebAuthn relying party.
import { test, expect, type Page } from "./support/test";
import {
  admin,
  confirmOnSecurityPage,
  confirmRecoveryCodes,
  createVerifiedUser,
  enrolTotp,
  enterSudo,
  signIn,
  signOut,
  submitPassword,
  submitSecondFactor,
  type TestUser,
  expectSignedOut,
} from "./support/accounts";
import { countMail, waitForMail } from "./support/mail";
import { VirtualAuthenticator } from "./support/webauthn";

const keysTable = (page: Page) => page.getByTestId("security-keys");

/** Adds a key named `name` on the Security page (in sudo mode); returns the recovery codes if 2FA just turned on. */
async function addKey(page: Page, name: string): Promise<string[]> {
  await page.getByLabel("Name of the new key").fill(name);
  await page.getByRole("button", { name: "Add a security key" }).click();
  const codes = page.getByTestId("recovery-codes").locator("li");
  const added = page.getByTestId("add-key-status").getByText(`“${name}” was added`);
  await expect(codes.first().or(added)).toBeVisible();
  if (await codes.count()) {
    const recoveryCodes = (await codes.allTextContents()).map((c) => c.trim());
    await confirmRecoveryCodes(page, recoveryCodes);
    await expect(page.getByTestId("2fa-state")).toHaveText("On");
    return recoveryCodes;
  }
  return [];
}

async function userWithKey(
  page: Page,
  prefix: string,
  name = "laptop Touch ID",
  options: { userVerification?: boolean } = {},
): Promise<{ user: TestUser; authenticator: VirtualAuthenticator }> {
  const user = await createVerifiedUser(prefix);
  const authenticator = await VirtualAuthenticator.attach(page, options);
  await signIn(page, user);
  await confirmOnSecurityPage(page, user.password);
  expect(await addKey(page, name)).toHaveLength(10);
  return { user, authenticator };
}

test("a passkey: added behind sudo, second factor, passwordless sign-in, sudo, rename, remove", async ({ page }) => {
  test.setTimeout(120_000);
  const user = await createVerifiedUser("kira");
  await VirtualAuthenticator.attach(page);
  await signIn(page, user);

  // Adding a key needs a fresh confirmation first.
  await page.goto("/account/security");
  await expect(page.getByLabel("Name of the new key")).toHaveCount(0);
  await enterSudo(page, user.password);
  const mailsBefore = await countMail(user.email);
  await page.getByLabel("Name of the new key").fill("laptop Touch ID");
  await page.getByRole("button", { name: "Add a security key" }).click();
  const list = page.getByTestId("recovery-codes").locator("li");
  await expect(list).toHaveCount(10);
  const codes = (await list.allTextContents()).map((c) => c.trim());
  // Finishing asks for one of the codes, with the list hidden: a made-up one is refused.
  await page.getByRole("button", { name: "I have saved them" }).click();
  await page.getByLabel("One of your recovery codes").fill("wh-0000-0000-0000-0000");
  await page.getByRole("button", { name: "Finish" }).click();
  await expect(page.getByTestId("recovery-codes-check")).toContainText("not one of the codes just shown");
  await confirmRecoveryCodes(page, codes, { listShown: false });
  await expect(keysTable(page).getByRole("row", { name: /laptop Touch ID/ })).toContainText("Passkey");
  await expect(keysTable(page).getByRole("row", { name: /laptop Touch ID/ })).toContainText("Never");
  await waitForMail(user.email, /security key was added: "laptop Touch ID"/, { after: mailsBefore });
  await waitForMail(user.email, /two-factor authentication was enabled/, { after: mailsBefore });

  // Password, then the key: the prompt starts by itself at the second step.
  await signOut(page);
  await submitPassword(page, user.username, user.password);
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);

  // A passkey alone: no password.
  await signOut(page);
  await page.goto("/account/login");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);
  await waitForMail(user.email, /you signed in with the passkey "laptop Touch ID"/);
  await page.goto("/account/history");
  await expect(page.getByText("Signed in with a passkey").first()).toBeVisible();

  // Sudo mode with the key as the second factor.
  await page.goto("/account/security");
  const sudo = page.getByTestId("sudo-form");
  await sudo.getByLabel("Your password").fill(user.password);
  await sudo.getByRole("button", { name: "Confirm with security key" }).click();
  await expect(sudo).toHaveCount(0);
  await expect(keysTable(page).getByRole("row", { name: /laptop Touch ID/ })).not.toContainText("Never");

  // Rename.
  await page.getByLabel("New name for “laptop Touch ID”").fill("Work laptop");
  await page.getByRole("button", { name: "Rename" }).click();
  await expect(keysTable(page)).toContainText("Work laptop");
  await waitForMail(user.email, /"laptop Touch ID" was renamed to "Work laptop"/);

  // Removing the only factor says what will happen, then turns 2FA off.
  await expect(page.getByTestId("last-factor-warning")).toContainText("turns two-factor authentication off");
  await page.getByRole("button", { name: "Remove “Work laptop” and turn off 2FA" }).click();
  await expect(page.getByTestId("security-notice")).toContainText("Two-factor authentication is off");
  await expect(page.getByTestId("2fa-state")).toHaveText("Off");
  await expect(keysTable(page)).toHaveCount(0);
  await waitForMail(user.email, /security key "Work laptop" was removed/);
  await waitForMail(user.email, /two-factor authentication was disabled/);
});

test("an account with both the app and a key signs in with either", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const user = await createVerifiedUser("lena");
  await signIn(page, user);
  const { app } = await enrolTotp(page, user.password);
  await VirtualAuthenticator.attach(page);
  await page.goto("/account/security");
  expect(await addKey(page, "YubiKey 5C")).toEqual([]); // 2FA was on already: no new codes
  await expect(keysTable(page)).toContainText("YubiKey 5C");
  // With the app still there, removing the key is not the last factor.
  await expect(page.getByTestId("last-factor-warning")).toHaveCount(0);

  // The key, in this browser.
  await signOut(page);
  await submitPassword(page, user.username, user.password);
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);

  // The app, in a browser whose authenticator does not hold the key: the prompt that starts by
  // itself fails, says so, and the code works.
  const context = await browser.newContext();
  const other = await context.newPage();
  await VirtualAuthenticator.attach(other);
  await submitPassword(other, user.username, user.password);
  await expect(other.getByTestId("key-status")).not.toBeEmpty();
  await expect(other.getByRole("button", { name: "Use your security key" })).toBeEnabled();
  await submitSecondFactor(other, await app.code());
  await expect(other.getByTestId("signed-in-as")).toHaveText(user.username);
  await context.close();

  // The operator's view: keys are counted, and a reset removes them with the app.
  const row = (out: string) => out.split("\n").find((l) => l.startsWith(`${user.username} `)) ?? "";
  expect(row((await admin("list-users")).stdout)).toMatch(/\s2fa\s+1\s/);
  expect((await admin("reset-2fa", user.username, "--reason", "lost both, checked by phone")).code).toBe(0);
  expect(row((await admin("list-users")).stdout)).toMatch(/\sno-2fa\s+0\s/);
});

test("a cloned key (its counter went backwards) is refused and reported", async ({ page }) => {
  test.setTimeout(120_000);
  const { user, authenticator } = await userWithKey(page, "mona");
  const [original] = await authenticator.credentials();
  expect(original).toBeDefined();

  await signOut(page);
  await submitPassword(page, user.username, user.password);
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);

  // The copy still carries the counter from before that sign-in.
  await authenticator.setSignCount(original!, original!.signCount);
  await signOut(page);
  await submitPassword(page, user.username, user.password);
  await expect(page.getByTestId("key-status")).toContainText("signature counter went backwards");
  await expectSignedOut(page);
  await waitForMail(user.email, /signature counter went backwards/);
});

test("a passkey that does not verify the user cannot replace the password, but is a second factor", async ({
  page,
}) => {
  test.setTimeout(120_000);
  // A key that only checks presence (no PIN, no fingerprint), yet keeps a discoverable credential.
  const { user } = await userWithKey(page, "nico", "no-PIN key", { userVerification: false });
  await expect(keysTable(page).getByRole("row", { name: /no-PIN key/ })).toContainText("Passkey");

  await signOut(page);
  await page.goto("/account/login");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByTestId("passkey-status")).not.toBeEmpty();
  await expectSignedOut(page);

  await submitPassword(page, user.username, user.password);
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);
});

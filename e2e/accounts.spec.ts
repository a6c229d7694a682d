import { test, expect } from "./support/test";
import {
  admin,
  createVerifiedUser,
  enterSudo,
  expectHistory,
  expectSignedOut,
  newUser,
  signIn,
  signOut,
  signUp,
  submitPassword,
} from "./support/accounts";
import { linkIn, waitForMail } from "./support/mail";

test("sign up, then verify the email by confirming on the page the link opens; the link works once", async ({
  page,
}) => {
  const user = newUser("alice");
  await signUp(page, user);
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);
  await expect(page.getByTestId("unverified-banner")).toContainText("cannot enable two-factor authentication");

  const mail = await waitForMail(user.email, /Verify your email/);
  await page.goto(linkIn(mail, "/account/verify-email?token="));
  // Opening the link only asks; the confirmation (a POST by this account) verifies.
  await expect(page.getByTestId("verify-result")).toContainText(`Confirm that ${user.email} is your email address`);
  await page.getByRole("button", { name: "Verify my email address" }).click();
  await expect(page.getByTestId("action-outcome")).toContainText("is verified");
  // A verification link works once.
  await page.reload();
  await expect(page.getByTestId("verify-result")).toContainText("invalid, was already used or has expired");
  await page.goto("/account/settings");
  await expect(page.getByTestId("unverified-banner")).toHaveCount(0);
  await expect(page.getByText("Verified", { exact: true })).toBeVisible();
  await expectHistory(page, ["Account created", "Signed in", "Email address verified"]);
  // Sign-up signed the account in without checking its password again; the stored hash is the password's.
  await signOut(page);
  await signIn(page, user);
});

test("a wrong password is refused; signing out and in is recorded in the history", async ({
  page,
  verifiedUser: user,
}) => {
  await submitPassword(page, user.username, "not the password at all");
  await expect(page.getByTestId("login-status")).toContainText("The username or password is not correct.");
  await signIn(page, user);
  await signOut(page);
  await signIn(page, user);
  await expectHistory(page, ["Failed sign-in attempt", "Signed in", "Signed out"]);
});

test("changing the password signs out the account's other browsers, and only the new one works", async ({
  page,
  browser,
}) => {
  const user = await createVerifiedUser("ada");
  await signIn(page, user);
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, user);

  await page.goto("/account/settings");
  const newPassword = `${user.password} and more`;
  await enterSudo(page, user.password);
  const form = page.getByTestId("change-password-form");
  await form.getByLabel("Current password").fill(user.password);
  await form.getByLabel("New password", { exact: true }).fill(newPassword);
  await form.getByLabel("Confirm new password").fill(newPassword);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("change-password-status")).toContainText("Your password was changed");
  await waitForMail(user.email, /password was changed/);

  await otherPage.goto("/account/settings");
  await expect(otherPage).toHaveURL(/\/account\/login/);
  await expectSignedOut(otherPage);
  await other.close();

  // This browser stays signed in, and the new password works from now on.
  await page.reload();
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);
  await signOut(page);
  await submitPassword(page, user.username, user.password);
  await expect(page.getByTestId("login-status")).toContainText("not correct");
  await signIn(page, { ...user, password: newPassword });
});

test("the header offers to sign in only once the session has ended, and keeps the user when sign-out fails", async ({
  page,
}) => {
  const user = await createVerifiedUser("leaving");
  await signIn(page, user);
  await page.goto("/help");
  const header = page.getByRole("navigation", { name: "Account", exact: true });
  const whoIsSignedIn = async () =>
    ((await (await page.request.get("/_includes/current-user")).json()) as { username: string | null }).username;
  // The sign-out action posts to the page's own URL; each attempt below decides what happens to it.
  const attempts: ((route: import("@playwright/test").Route) => Promise<void>)[] = [];
  await page.route("**/help", async (route) => {
    const attempt =
      route.request().method() === "POST" && route.request().headers()["next-action"] ? attempts.shift() : undefined;
    await (attempt ? attempt(route) : route.continue());
  });

  // No answer at all: the user stays shown, and the header says sign-out did not happen.
  attempts.push((route) => route.abort());
  await header.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByTestId("sign-out-error")).toContainText("Not signed out");
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);
  expect(await whoIsSignedIn()).toBe(user.username);

  // While the action is on its way the header says so, and still shows who is signed in (they are).
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  attempts.push(async (route) => {
    await held;
    await route.continue();
  });
  await header.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(header.getByRole("button", { name: "Signing out…" })).toBeDisabled();
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);
  expect(await whoIsSignedIn()).toBe(user.username);
  release();
  // The moment the header offers to sign in, the session is gone.
  await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();
  expect(await whoIsSignedIn()).toBeNull();
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
});

test("a signed-out or revoked session's cookie is rejected", async ({ page, browser }) => {
  const user = await createVerifiedUser("bob");
  await signIn(page, user);
  const cookie = (await page.context().cookies()).find((c) => c.name === "wheelhouse_session");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");
  expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

  await signOut(page);
  // Replaying the old cookie in a fresh browser gets nothing.
  const replay = await browser.newContext();
  await replay.addCookies([cookie!]);
  const replayPage = await replay.newPage();
  await replayPage.goto("/account/settings");
  await expect(replayPage).toHaveURL(/\/account\/login/);

  // A session revoked by an operator ends at once.
  await signIn(page, user);
  const result = await admin("revoke-sessions", user.username);
  expect(result.stdout).toContain("revoked 1 session");
  await page.goto("/account/settings");
  await expect(page).toHaveURL(/\/account\/login/);
  await replay.close();
});

test("the admin command line creates a user who can sign in, and explains bad arguments", async ({ page }) => {
  // Seven command-line runs, each starting its own Node process: the refusals, which touch no
  // account, run alongside the user's own sequence.
  test.setTimeout(120_000);
  const user = newUser("carol");
  const refusals = Promise.all([
    admin("create-user", "--username", "no spaces allowed", "--email", "nope", "--password", "short"),
    admin("frobnicate"),
    admin("--help"),
  ]);
  const created = await admin(
    "create-user",
    "--username",
    user.username,
    "--email",
    user.email,
    "--password",
    user.password,
  );
  expect(created.code).toBe(0);
  expect(created.stdout).toContain(`created user ${user.username}`);

  const listed = await admin("list-users");
  expect(listed.stdout).toMatch(new RegExp(`${user.username}\\s+${user.email.replace(/[.]/g, "\\.")}\\s+unverified`));

  const verified = await admin("verify-email", user.username);
  expect(verified.stdout).toContain("verified");

  const duplicate = await admin(
    "create-user",
    "--username",
    user.username.toUpperCase(),
    "--email",
    "x@example.test",
    "--password",
    user.password,
  );
  expect(duplicate.code).toBe(2);
  expect(duplicate.stderr).toContain("already taken");

  const [bad, unknown, help] = await refusals;
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("--username");
  expect(bad.stderr).toContain("--email");
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain("Unknown command");
  expect(help.stdout).toContain("create-user");

  await signIn(page, user);
});

test("forms answer empty, huge, unicode and malformed input with field errors, never a stack trace", async ({
  page,
}) => {
  // Every answer to the submissions below, to check that none is a 5xx or shows a stack trace. The
  // route fetches them itself: the browser does not keep every answer's body for reading later.
  const answers: { url: string; status: number; body: string }[] = [];
  await page.route("**/account/**", async (route) => {
    if (route.request().method() !== "POST") return route.fallback();
    const response = await route.fetch();
    const body = await response.text();
    answers.push({ url: route.request().url(), status: response.status(), body });
    await route.fulfill({ response, body });
  });
  await page.goto("/account/signup");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#field-username-error")).toHaveText("Enter a username.");
  await expect(page.locator("#field-email-error")).toHaveText("Enter an email address.");
  await expect(page.locator("#field-password-error")).toHaveText("Enter a password.");

  const huge = "x".repeat(1024 * 1024);
  await page.getByLabel("Username").evaluate((el, v) => ((el as HTMLInputElement).value = v), huge);
  await page.getByLabel("Email address").evaluate((el, v) => ((el as HTMLInputElement).value = v), huge);
  await page.getByLabel("Password", { exact: true }).evaluate((el, v) => ((el as HTMLInputElement).value = v), huge);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#field-username-error")).toHaveText("Usernames have at most 50 characters.");
  await expect(page.locator("#field-email-error")).toContainText("at most 254 characters");
  await expect(page.locator("#field-password-error")).toContainText("at most 1024 characters");

  await page.getByLabel("Username").fill("Ünïcødé-名前");
  await page.getByLabel("Email address").fill("not-an-email@");
  await page.getByLabel("Password", { exact: true }).fill("password");
  await page.getByLabel("Confirm password").fill("password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#field-username-error")).toContainText("only ASCII letters, digits");
  await expect(page.locator("#field-email-error")).toContainText("Enter a valid email address");

  await page.getByLabel("Username").fill(`ok-${Date.now()}`);
  await page.getByLabel("Email address").fill(`ok-${Date.now()}@example.test`);
  await page.getByLabel("Password", { exact: true }).fill("password");
  await page.getByLabel("Confirm password").fill("password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#field-password-error")).toContainText(/common|guess/i);

  await page.goto("/account/login");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("#field-login-error")).toHaveText("Enter your username or email address.");
  await page.getByLabel("Username or email").evaluate((el, v) => ((el as HTMLInputElement).value = v), huge);
  await page.getByLabel("Password").fill("💥\u0000<script>alert(1)</script>");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("#field-login-error")).toContainText("longer than any username");

  expect(answers).toHaveLength(6);
  for (const a of answers) {
    expect(a.status, a.url).toBeLessThan(500);
    expect(a.body).not.toMatch(/at \S+ \(\/|node_modules\//);
  }
  const missing = await page.goto("/no/such/page");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

// Helpers the specs share: unique users, signing up and in through the UI, the admin CLI, TOTP codes.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, type Page } from "@playwright/test";
import { generate } from "otplib";
import { ADMIN_ENTRY, ROOT, serverEnv } from "./env";

const run = promisify(execFile);

export interface TestUser {
  username: string;
  email: string;
  password: string;
}

let counter = 0;
export function newUser(prefix = "user"): TestUser {
  const id = `${Date.now().toString(36)}${(counter++).toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
  return {
    username: `${prefix}-${id}`,
    email: `${prefix}-${id}@example.test`,
    password: `correct horse ${id} battery staple`,
  };
}

export async function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [ADMIN_ENTRY, ...args], { cwd: ROOT, env: serverEnv() });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

export async function createVerifiedUser(prefix = "user"): Promise<TestUser> {
  const user = newUser(prefix);
  const result = await admin(
    "create-user",
    "--username",
    user.username,
    "--email",
    user.email,
    "--password",
    user.password,
    "--verified",
  );
  expect(result.code, result.stderr).toBe(0);
  return user;
}

export async function signUp(page: Page, user: TestUser): Promise<void> {
  await page.goto("/account/signup");
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Email address").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByLabel("Confirm password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account\/settings/);
}

/** The password step; leaves the page wherever sign-in leads (maybe the second-factor step). */
export async function submitPassword(page: Page, login: string, password: string): Promise<void> {
  await page.goto("/account/login");
  await page.getByLabel("Username or email").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

export async function signIn(page: Page, user: TestUser): Promise<void> {
  await submitPassword(page, user.username, user.password);
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.username);
}

export async function signOut(page: Page): Promise<void> {
  // The header offers "Sign in" only once the sign-out action has answered that the session is gone.
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expectSignedOut(page);
}

/**
 * The header offers to sign in: the browser has asked who is signed in and heard "nobody". (The
 * page arrives with a plain "Account" link, so the absence of a username alone proves nothing.)
 */
export async function expectSignedOut(page: Page): Promise<void> {
  await expect(
    page.getByRole("navigation", { name: "Account", exact: true }).getByRole("link", { name: "Sign in" }),
  ).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
}

/** A TOTP code for the time step `stepOffset` steps from now, as an authenticator app would show. */
export async function totp(secret: string, stepOffset = 0): Promise<string> {
  return generate({ secret: secret.replace(/\s+/g, ""), epoch: Math.floor(Date.now() / 1000) + stepOffset * 30 });
}

/** Whatever answers "Two-factor code": an authenticator app, or a stock of recovery codes. */
export interface SecondFactor {
  code(): Promise<string>;
}

/**
 * An authenticator app that never shows a code twice and never waits for the clock. The server
 * accepts the steps now-1, now and now+1 and refuses any step at or before the last one it
 * accepted, so each code is for a later step than the last: first the current step, then the next
 * one, which the server accepts early. The previous step is never used: on a slow machine the
 * request can reach the server after the next 30 s boundary, when that code has left the window.
 * So two codes are always available at once; when a test asks for more within one step, it fails
 * at once instead of sleeping up to 30 s: such a test should use a recovery code or a fresh account.
 */
export class Authenticator implements SecondFactor {
  private lastStep = -1;
  constructor(readonly secret: string) {}

  async code(): Promise<string> {
    const now = Math.floor(Date.now() / 1000 / 30);
    const step = Math.max(this.lastStep + 1, now);
    if (step > now + 1) {
      throw new Error(
        "The authenticator's ±1-step window is used up: " +
          "take a recovery code or a fresh account rather than waiting for the clock.",
      );
    }
    this.lastStep = step;
    return this.at(step);
  }

  /** The code accepted most recently, for replay tests. */
  async lastCode(): Promise<string> {
    return this.at(this.lastStep);
  }

  private at(step: number): Promise<string> {
    return generate({ secret: this.secret.replace(/\s+/g, ""), epoch: step * 30 + 1 });
  }
}

/** Finishes after new recovery codes: "I have saved them", then types one back (the list is hidden). */
export async function confirmRecoveryCodes(
  page: Page,
  codes: string[],
  options: { listShown?: boolean } = {},
): Promise<void> {
  if (options.listShown !== false) await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByTestId("recovery-codes")).toHaveCount(0);
  await page.getByLabel("One of your recovery codes").fill(codes[3]!.toUpperCase());
  await page.getByRole("button", { name: "Finish" }).click();
  await expect(page.getByTestId("2fa-state")).toHaveText("On");
}

/** Confirms it is you (sudo mode) on the Security page when it asks, with the password (and a second factor). */
export async function confirmOnSecurityPage(page: Page, password: string, code?: string): Promise<void> {
  await page.goto("/account/security");
  const form = page.getByTestId("sudo-form");
  const ready = page.getByRole("heading", { name: "Add a second factor" }).or(form);
  await expect(ready.first()).toBeVisible();
  if (await form.count()) await enterSudo(page, password, code);
}

/** Enrols TOTP from the Security page (confirming it is you first); returns the app and the recovery codes shown. */
export async function enrolTotp(
  page: Page,
  password: string,
): Promise<{ app: Authenticator; recoveryCodes: string[] }> {
  await confirmOnSecurityPage(page, password);
  await page.getByRole("button", { name: "Add an authenticator app" }).click();
  await expect(page.getByTestId("totp-qr").locator("svg")).toBeVisible();
  const app = new Authenticator((await page.getByTestId("totp-secret").textContent()) ?? "");
  await page.getByLabel("Code from the app").fill(await app.code());
  await page.getByRole("button", { name: "Enable two-factor authentication" }).click();
  const list = page.getByTestId("recovery-codes").locator("li");
  await expect(list).toHaveCount(10);
  const recoveryCodes = (await list.allTextContents()).map((c) => c.trim());
  await confirmRecoveryCodes(page, recoveryCodes);
  await expect(page.getByTestId("2fa-state")).toHaveText("On");
  return { app, recoveryCodes };
}

export async function submitSecondFactor(page: Page, code: string): Promise<void> {
  await expect(page).toHaveURL(/\/account\/two-factor/);
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

export async function enterSudo(page: Page, password: string, code?: string): Promise<void> {
  const form = page.getByTestId("sudo-form");
  await form.getByLabel("Your password").fill(password);
  if (code !== undefined) await form.getByLabel("Two-factor code").fill(code);
  await form.getByRole("button", { name: "Confirm", exact: true }).click();
  await expect(form).toHaveCount(0);
}

/** The signed-in account's security history shows an event with each of these labels. */
export async function expectHistory(page: Page, labels: string[]): Promise<void> {
  await page.goto("/account/history");
  const history = page.getByTestId("security-history");
  for (const label of labels)
    await expect(history.getByRole("cell", { name: label, exact: true }).first()).toBeVisible();
}

// Creating and revoking API tokens through account settings, as a maintainer would.
import { expect, type Page } from "@playwright/test";
import { type SecondFactor, enterSudo } from "./accounts";

export async function createToken(
  page: Page,
  opts: { name: string; password: string; app: SecondFactor; projects?: string[] },
): Promise<string> {
  await page.goto("/account/tokens");
  if (await page.getByTestId("sudo-form").count()) await enterSudo(page, opts.password, await opts.app.code());
  const form = page.getByTestId("create-token-form");
  await form.getByLabel("Token name").fill(opts.name);
  if (opts.projects) {
    await form.getByLabel("Only these projects").check();
    for (const p of opts.projects) await form.getByLabel(p, { exact: true }).check();
  }
  await form.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent()) ?? "";
  expect(token).toMatch(/^wheelhouse-[A-Za-z0-9_-]{43}$/);
  return token;
}

export async function revokeToken(page: Page, name: string): Promise<void> {
  await page.goto("/account/tokens");
  await page.getByRole("button", { name: `Revoke ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Revoke the token “${name}”?` });
  await expect(dialog).toContainText("It stops working at once");
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(page.getByTestId("tokens").getByRole("cell", { name, exact: true })).toHaveCount(0);
  await expect(page.getByTestId("action-outcome")).toContainText("The token was revoked.");
}

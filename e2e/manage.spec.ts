// Owners manage collaborators and releases; every change needs sudo mode with a second factor,
// is recorded and emailed; maintainers and strangers cannot change anything, even by calling the
// server actions directly.
import { test, expect, type Page, type Request } from "./support/test";
import { createVerifiedUser, enrolTotp, enterSudo, signIn, signOut, submitPassword, submitSecondFactor, type Authenticator, type TestUser } from "./support/accounts";
import { createToken } from "./support/tokens";
import { buildProject, freshVenv, twine } from "./support/python";
import { BASE_URL } from "./support/env";
import { waitForMail } from "./support/mail";
import { sql } from "./support/db";

async function member(page: Page, prefix: string): Promise<{ user: TestUser; app: Authenticator; recoveryCodes: string[] }> {
  const user = await createVerifiedUser(prefix);
  await signIn(page, user);
  const { app, recoveryCodes } = await enrolTotp(page, user.password);
  return { user, app, recoveryCodes };
}

/** Whether wh-managed 2.0.0 is yanked: this spec's own release, whatever other specs upload. */
const managedYanked = "SELECT r.yanked FROM releases r JOIN projects p ON p.id = r.project_id WHERE p.normalized_name = 'wh-managed' AND r.version = '2.0.0'";

async function replay(page: Page, recorded: Request): Promise<string> {
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const response = await page.request.post(recorded.url(), { headers: { ...recorded.headers(), cookie }, data: recorded.postDataBuffer() ?? undefined });
  return response.text();
}

test("yank, collaborators, last owner, deletion and authorization", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const { user: owner, app, recoveryCodes } = await member(page, "owner");
  const token = await createToken(page, { name: "release", password: owner.password, app });
  const v1 = await buildProject({ name: "wh-managed", version: "1.0.0", code: "VERSION = '1.0.0'\n" });
  const v2 = await buildProject({ name: "wh-managed", version: "2.0.0", code: "VERSION = '2.0.0'\n" });
  const uploaded = await twine([v1.wheel, v1.sdist, v2.wheel, v2.sdist], token);
  expect(uploaded.code, uploaded.stdout + uploaded.stderr).toBe(0);

  // Yank 2.0.0 from the UI, in a new session: sudo mode asks for the password and a code first.
  // Signing in takes a recovery code, which leaves the app's next code for sudo mode without a wait.
  await signOut(page);
  await submitPassword(page, owner.username, owner.password);
  await submitSecondFactor(page, recoveryCodes[0]!);
  await expect(page.getByTestId("signed-in-as")).toHaveText(owner.username);
  await page.goto("/manage/project/wh-managed");
  await expect(page.getByTestId("sudo-form").getByLabel("Two-factor code")).toBeVisible();
  await expect(page.getByTestId("my-role")).toHaveText("owner");
  await enterSudo(page, owner.password, await app.code());
  const yank = page.getByTestId("yank-2.0.0");
  // Yanking asks first, saying what it does, and takes the optional reason there.
  await yank.getByRole("button", { name: "Yank 2.0.0" }).click();
  const dialog = page.getByRole("dialog", { name: "Yank wh-managed 2.0.0?" });
  await expect(dialog).toContainText("pip will skip 2.0.0 unless someone pins it exactly");
  await dialog.getByLabel(/Reason/).fill("crashes on import");
  const [yankRequest] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]),
    dialog.getByRole("button", { name: "Yank release" }).click(),
  ]);
  await expect(page.getByTestId("action-outcome")).toContainText("Release 2.0.0 is yanked");
  await expect(page.locator('[data-release="2.0.0"]').getByText("yanked", { exact: true })).toBeVisible();
  await waitForMail(owner.email, /Release 2\.0\.0 of wh-managed was yanked/);

  await page.goto("/project/wh-managed");
  await expect(page.getByTestId("release-history").locator('[data-version="2.0.0"]')).toContainText("yanked");
  const simple = await (await page.request.get("/simple/wh-managed/")).text();
  expect(simple).toMatch(/wh_managed-2\.0\.0[^"]*"[^>]*data-yanked="crashes on import"/);
  const venv = await freshVenv("yanked");
  const installed = await venv.pip("install", "--index-url", `${BASE_URL}/simple/`, "wh-managed");
  expect(installed.stdout + installed.stderr).toContain("Successfully installed wh-managed-1.0.0");

  // Invite a maintainer, who accepts in another browser.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  const { user: helper } = await member(other, "helper");
  await page.goto("/manage/project/wh-managed/collaborators");
  const invite = page.getByTestId("invite-form");
  await invite.getByLabel("Username").fill(helper.username);
  await invite.getByRole("button", { name: "Invite" }).click();
  await expect(page.getByTestId("pending-invitations")).toContainText(helper.username);
  await waitForMail(helper.email, /invited to wh-managed as maintainer/);
  await other.goto("/account/invitations");
  await other.locator('[data-invitation="wh-managed"]').getByRole("button", { name: "Accept" }).click();
  await expect(other.locator('[data-invitation="wh-managed"]')).toHaveCount(0);
  await other.goto("/account/projects");
  await expect(other.getByTestId("your-projects").getByRole("row", { name: /wh-managed/ })).toContainText("maintainer");
  await page.reload();
  await expect(page.getByTestId("collaborators")).toContainText(helper.username);

  // The maintainer, in sudo mode (still, from enrolling the app), replays the owner's yank action:
  // refused, nothing changes.
  await other.goto("/manage/project/wh-managed/collaborators");
  await expect(other.getByTestId("sudo-form")).toHaveCount(0);
  // The owner un-yanks first (the app's own path, which bumps the serial), so a replay that worked would show.
  await page.goto("/manage/project/wh-managed");
  await page.getByTestId("unyank-2.0.0").getByRole("button", { name: "Un-yank" }).click();
  await expect(page.getByTestId("action-outcome")).toContainText("Release 2.0.0 is no longer yanked.");
  expect(await replay(other, yankRequest)).toContain("Only owners can do this.");
  expect(await sql(managedYanked)).toEqual([{ yanked: false }]);
  await other.goto("/manage/project/wh-managed");
  await expect(other.getByRole("button", { name: "Delete release" })).toHaveCount(0);
  await expect(other.getByTestId("remove-" + owner.username)).toHaveCount(0);

  // A stranger in sudo mode (from enrolling the app) gets nothing either, and the manage pages do
  // not exist for them.
  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  await member(stranger, "outsider");
  await stranger.goto("/account/settings");
  await expect(stranger.getByTestId("sudo-form")).toHaveCount(0);
  expect(await replay(stranger, yankRequest)).toContain("You are not a member of this project.");
  expect(await sql(managedYanked)).toEqual([{ yanked: false }]);
  expect((await stranger.goto("/manage/project/wh-managed"))?.status()).toBe(404);
  await strangerContext.close();

  // Remove the maintainer; the last owner cannot be removed.
  await page.goto("/manage/project/wh-managed/collaborators");
  await page.getByTestId(`remove-${helper.username}`).getByRole("button", { name: `Remove ${helper.username}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: `Remove ${helper.username}` }).click();
  await expect(page.getByTestId("collaborators")).not.toContainText(helper.username);
  await waitForMail(helper.email, /was removed from wh-managed/);
  await page.getByTestId(`remove-${owner.username}`).getByRole("button", { name: "Leave project" }).click();
  const leave = page.getByRole("dialog", { name: "Leave wh-managed?" });
  await expect(leave).toContainText("You will no longer be able to upload to or manage wh-managed");
  await leave.getByRole("button", { name: "Leave project" }).click();
  await expect(page.getByText("A project must keep at least one owner")).toBeVisible();
  await otherContext.close();

  // Delete release 1.0.0 after typing its version (sudo mode with the code is still on).
  await page.goto("/manage/project/wh-managed");
  const release = page.locator('[data-release="1.0.0"]');
  await release.getByText("Delete this release").click();
  const del = page.getByTestId("delete-release-1.0.0");
  await del.getByRole("button", { name: "Delete release" }).click();
  await expect(del).toContainText("Type the version, 1.0.0, to confirm");
  await del.locator('input[name="confirm"]').fill("1.0.0");
  await del.getByRole("button", { name: "Delete release" }).click();
  await expect(page.locator('[data-release="1.0.0"]')).toHaveCount(0);
  // The release's card is gone with its form: the result shows page-wide, and no older error stays.
  await expect(page.getByTestId("action-outcome")).toContainText("Release 1.0.0 was deleted");
  await expect(page.getByText("Type the version, 1.0.0, to confirm")).toHaveCount(0);
  expect(await (await page.request.get("/simple/wh-managed/")).text()).not.toContain("wh_managed-1.0.0");

  // Everything is in the project's history and the owner's security history.
  await page.goto("/manage/project/wh-managed/history");
  const history = page.getByTestId("project-history");
  for (const label of ["Release yanked", "Collaborator invited", "Invitation accepted", "Collaborator removed", "Release deleted", "File uploaded"]) {
    await expect(history.getByRole("cell", { name: label, exact: true }).first()).toBeVisible();
  }
  await page.goto("/account/history");
  for (const label of ["Release yanked", "Collaborator invited", "Collaborator removed", "Release deleted"]) {
    await expect(page.getByTestId("security-history").getByRole("cell", { name: label, exact: true }).first()).toBeVisible();
  }
});

test("a project that requires 2FA refuses to invite users without it", async ({ page }) => {
  const { user: owner, app } = await member(page, "strict");
  const token = await createToken(page, { name: "strict", password: owner.password, app });
  const built = await buildProject({ name: "wh-strict", version: "1.0", code: "X = 1\n" });
  expect((await twine([built.wheel], token)).code).toBe(0);
  const noTwoFactor = await createVerifiedUser("plain");
  // Still in sudo mode from creating the token (15 minutes).
  await page.goto("/manage/project/wh-strict/settings");
  await page.getByRole("button", { name: "Require two-factor authentication" }).click();
  await expect(page.getByTestId("require-2fa")).toHaveText("required");
  await page.goto("/manage/project/wh-strict/collaborators");
  const invite = page.getByTestId("invite-form");
  await invite.getByLabel("Username").fill(noTwoFactor.username);
  await invite.getByRole("button", { name: "Invite" }).click();
  await expect(invite).toContainText("requires collaborators to have two-factor authentication");
});

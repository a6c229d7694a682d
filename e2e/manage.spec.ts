// Owners manage collaborators and releases; every change needs sudo mode with a second factor,
// is recorded and emailed; maintainers and strangers cannot change anything, even by calling the
// server actions directly. The owner is the worker's maintainer; each test publishes a project
// of its own, so that one story failing leaves the others to tell theirs.
import {
  test,
  expect,
  confirmIfAsked,
  uniqueName,
  type Browser,
  type Maintainer,
  type Page,
  type Request,
} from "./support/test";
import {
  createVerifiedUser,
  enrolTotp,
  enterSudo,
  signIn,
  submitPassword,
  submitSecondFactor,
  type TestUser,
} from "./support/accounts";
import { freshVenv } from "./support/python";
import { BASE_URL } from "./support/env";
import { waitForMail } from "./support/mail";
import { sql } from "./support/db";
import { makeWheel, rawUpload } from "./support/uploads";

// Most tests here make a second account with 2FA (or a venv for pip): over a minute on a loaded 2-core machine.
test.describe.configure({ timeout: 120_000 });

/** A new project of the maintainer's with these versions (one wheel each); its name is this test's own. */
async function publish(maintainer: Maintainer, prefix: string, versions: string[]): Promise<string> {
  const name = uniqueName(prefix);
  for (const version of versions) {
    const filename = `${name.replace(/-/g, "_")}-${version}-py3-none-any.whl`;
    const res = await rawUpload({
      token: maintainer.token,
      name,
      version,
      filename,
      content: await makeWheel({ name, version }),
    });
    expect(res.status, res.reason).toBe(200);
  }
  return name;
}

/** A signed-in account with 2FA, in a browser of its own; enrolling leaves it in sudo mode. */
async function member(browser: Browser, prefix: string): Promise<{ user: TestUser; page: Page }> {
  const user = await createVerifiedUser(prefix);
  const page = await (await browser.newContext()).newPage();
  await signIn(page, user);
  await enrolTotp(page, user.password);
  return { user, page };
}

/** Invites a new account as maintainer of `project`; it accepts in its own browser. */
async function addMaintainer(owner: Page, browser: Browser, project: string): Promise<{ user: TestUser; page: Page }> {
  const helper = await member(browser, "helper");
  await owner.goto(`/manage/project/${project}/collaborators`);
  const invite = owner.getByTestId("invite-form");
  await invite.getByLabel("Username").fill(helper.user.username);
  await invite.getByRole("button", { name: "Invite" }).click();
  await expect(owner.getByTestId("pending-invitations")).toContainText(helper.user.username);
  await waitForMail(helper.user.email, new RegExp(`invited to ${project} as maintainer`));
  await helper.page.goto("/account/invitations");
  await helper.page.locator(`[data-invitation="${project}"]`).getByRole("button", { name: "Accept" }).click();
  await expect(helper.page.locator(`[data-invitation="${project}"]`)).toHaveCount(0);
  return helper;
}

/** Whether `project`'s release `version` is yanked, read from the database. */
const yanked = async (project: string, version: string) =>
  sql(
    `SELECT r.yanked FROM releases r JOIN projects p ON p.id = r.project_id
     WHERE p.normalized_name = $1 AND r.version = $2`,
    [project, version],
  );

/** The owner yanks 2.0.0 and un-yanks it again, through the app; returns the yank's server-action request. */
async function recordYank(page: Page, maintainer: Maintainer, project: string): Promise<Request> {
  await page.goto(`/manage/project/${project}`);
  await confirmIfAsked(page, maintainer);
  await page.getByTestId("yank-2.0.0").getByRole("button", { name: "Yank 2.0.0" }).click();
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]),
    page
      .getByRole("dialog", { name: `Yank ${project} 2.0.0?` })
      .getByRole("button", { name: "Yank release" })
      .click(),
  ]);
  await expect(page.getByTestId("action-outcome")).toContainText("Release 2.0.0 is yanked");
  // Un-yanked by the app's own path (which bumps the serial), so that a replay that worked would show.
  await page.getByTestId("unyank-2.0.0").getByRole("button", { name: "Un-yank" }).click();
  await expect(page.getByTestId("action-outcome")).toContainText("Release 2.0.0 is no longer yanked.");
  expect(await yanked(project, "2.0.0")).toEqual([{ yanked: false }]);
  return request;
}

async function replay(page: Page, recorded: Request): Promise<string> {
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const response = await page.request.post(recorded.url(), {
    headers: { ...recorded.headers(), cookie },
    data: recorded.postDataBuffer() ?? undefined,
  });
  return response.text();
}

/** Rows of the signed-in user's security history about `project` with this label. */
const securityEvent = (page: Page, project: string, label: string) =>
  page
    .getByTestId("security-history")
    .getByRole("row")
    .filter({ hasText: project })
    .filter({ has: page.getByRole("cell", { name: label, exact: true }) });

test("an owner yanks a release after confirming it is them; the index marks it and pip skips it", async ({
  browser,
  maintainer,
}) => {
  const project = await publish(maintainer, "wh-yank", ["1.0.0", "2.0.0"]);
  // A new session of the owner's: sudo mode asks for the password and a code first.
  const page = await (await browser.newContext()).newPage();
  await submitPassword(page, maintainer.username, maintainer.password);
  await submitSecondFactor(page, await maintainer.secondFactor.code());
  await expect(page.getByTestId("signed-in-as")).toHaveText(maintainer.username);
  await page.goto(`/manage/project/${project}`);
  await expect(page.getByTestId("sudo-form").getByLabel("Two-factor code")).toBeVisible();
  await expect(page.getByTestId("my-role")).toHaveText("owner");
  await enterSudo(page, maintainer.password, await maintainer.secondFactor.code());

  // Yanking asks first, saying what it does, and takes the optional reason there.
  await page.getByTestId("yank-2.0.0").getByRole("button", { name: "Yank 2.0.0" }).click();
  const dialog = page.getByRole("dialog", { name: `Yank ${project} 2.0.0?` });
  await expect(dialog).toContainText("pip will skip 2.0.0 unless someone pins it exactly");
  await dialog.getByLabel(/Reason/).fill("crashes on import");
  await dialog.getByRole("button", { name: "Yank release" }).click();
  await expect(page.getByTestId("action-outcome")).toContainText("Release 2.0.0 is yanked");
  await expect(page.locator('[data-release="2.0.0"]').getByText("yanked", { exact: true })).toBeVisible();
  await waitForMail(maintainer.email, new RegExp(`Release 2\\.0\\.0 of ${project} was yanked`));

  await page.goto(`/project/${project}`);
  await expect(page.getByTestId("release-history").locator('[data-version="2.0.0"]')).toContainText("yanked");
  const simple = await (await page.request.get(`/simple/${project}/`)).text();
  expect(simple).toMatch(
    new RegExp(`${project.replace(/-/g, "_")}-2\\.0\\.0[^"]*"[^>]*data-yanked="crashes on import"`),
  );
  const installed = await (await freshVenv("yanked")).pip("install", "--index-url", `${BASE_URL}/simple/`, project);
  expect(installed.stdout + installed.stderr).toContain(`Successfully installed ${project}-1.0.0`);

  await page.goto(`/manage/project/${project}/history`);
  await expect(
    page.getByTestId("project-history").getByRole("cell", { name: "Release yanked", exact: true }),
  ).toBeVisible();
  await page.goto("/account/history");
  await expect(securityEvent(page, project, "Release yanked")).toHaveCount(1);
  await page.context().close();
});

test("an invited maintainer sees no owner controls and cannot yank by replaying the owner's action", async ({
  browser,
  maintainer,
  maintainerPage: page,
}) => {
  const project = await publish(maintainer, "wh-team", ["1.0.0", "2.0.0"]);
  const yank = await recordYank(page, maintainer, project);
  const helper = await addMaintainer(page, browser, project);
  await helper.page.goto("/account/projects");
  await expect(helper.page.getByTestId("your-projects").getByRole("row", { name: new RegExp(project) })).toContainText(
    "maintainer",
  );
  await page.goto(`/manage/project/${project}/collaborators`);
  await expect(page.getByTestId("collaborators")).toContainText(helper.user.username);

  // The maintainer is in sudo mode (from enrolling the app): the role alone refuses.
  await helper.page.goto(`/manage/project/${project}/collaborators`);
  await expect(helper.page.getByTestId("sudo-form")).toHaveCount(0);
  expect(await replay(helper.page, yank)).toContain("Only owners can do this.");
  expect(await yanked(project, "2.0.0")).toEqual([{ yanked: false }]);
  await helper.page.goto(`/manage/project/${project}`);
  await expect(helper.page.getByTestId("my-role")).toHaveText("maintainer");
  await expect(helper.page.getByRole("button", { name: "Delete release" })).toHaveCount(0);
  await expect(helper.page.getByTestId("yank-1.0.0")).toHaveCount(0);
  // Who works on the project, and its settings: the maintainer may only leave.
  await helper.page.goto(`/manage/project/${project}/collaborators`);
  await expect(helper.page.getByTestId(`remove-${helper.user.username}`)).toContainText("Leave project");
  await expect(helper.page.getByTestId(`remove-${maintainer.username}`)).toHaveCount(0);
  await expect(helper.page.getByRole("button", { name: /^Make (owner|maintainer)$/ })).toHaveCount(0);
  await expect(helper.page.getByTestId("invite-form")).toHaveCount(0);
  await helper.page.goto(`/manage/project/${project}/settings`);
  await expect(helper.page.getByTestId("require-2fa")).toBeVisible();
  await expect(helper.page.getByRole("button", { name: /two-factor authentication$/ })).toHaveCount(0);
  await expect(helper.page.getByTestId("delete-project-form")).toHaveCount(0);
  // The owner, on the same pages, is offered all of it.
  await page.goto(`/manage/project/${project}/collaborators`);
  await confirmIfAsked(page, maintainer);
  await expect(page.getByTestId(`remove-${helper.user.username}`)).toContainText("Remove");
  await expect(page.getByRole("button", { name: "Make owner" })).toBeVisible();
  await expect(page.getByTestId("invite-form")).toBeVisible();
  await page.goto(`/manage/project/${project}/settings`);
  await expect(page.getByRole("button", { name: "Require two-factor authentication" })).toBeVisible();
  await expect(page.getByTestId("delete-project-form")).toHaveCount(1);
  await page.goto(`/manage/project/${project}`);
  await expect(page.getByTestId("yank-1.0.0")).toBeVisible();

  await page.goto(`/manage/project/${project}/history`);
  for (const label of ["Collaborator invited", "Invitation accepted"]) {
    await expect(page.getByTestId("project-history").getByRole("cell", { name: label, exact: true })).toBeVisible();
  }
  await helper.page.context().close();
});

test("a stranger gets nothing from replaying an owner's action, and the manage pages do not exist for them", async ({
  browser,
  maintainer,
  maintainerPage: page,
}) => {
  const project = await publish(maintainer, "wh-guarded", ["1.0.0", "2.0.0"]);
  const yank = await recordYank(page, maintainer, project);
  // In sudo mode too (from enrolling the app).
  const stranger = await member(browser, "outsider");
  await stranger.page.goto("/account/settings");
  await expect(stranger.page.getByTestId("sudo-form")).toHaveCount(0);
  expect(await replay(stranger.page, yank)).toContain("You are not a member of this project.");
  expect(await yanked(project, "2.0.0")).toEqual([{ yanked: false }]);
  expect((await stranger.page.goto(`/manage/project/${project}`))?.status()).toBe(404);
  await stranger.page.context().close();
});

test("removing a collaborator tells them by email; the last owner cannot leave", async ({
  browser,
  maintainer,
  maintainerPage: page,
}) => {
  const project = await publish(maintainer, "wh-leave", ["1.0.0"]);
  const helper = await addMaintainer(page, browser, project);
  await helper.page.context().close();

  await page.goto(`/manage/project/${project}/collaborators`);
  await confirmIfAsked(page, maintainer);
  const name = helper.user.username;
  await page
    .getByTestId(`remove-${name}`)
    .getByRole("button", { name: `Remove ${name}` })
    .click();
  await page
    .getByRole("dialog")
    .getByRole("button", { name: `Remove ${name}` })
    .click();
  await expect(page.getByTestId("collaborators")).not.toContainText(name);
  await waitForMail(helper.user.email, new RegExp(`was removed from ${project}`));

  await page.getByTestId(`remove-${maintainer.username}`).getByRole("button", { name: "Leave project" }).click();
  const leave = page.getByRole("dialog", { name: `Leave ${project}?` });
  await expect(leave).toContainText(`You will no longer be able to upload to or manage ${project}`);
  await leave.getByRole("button", { name: "Leave project" }).click();
  await expect(page.getByText("A project must keep at least one owner")).toBeVisible();
  await expect(page.getByTestId("collaborators")).toContainText(maintainer.username);

  await page.goto(`/manage/project/${project}/history`);
  await expect(
    page.getByTestId("project-history").getByRole("cell", { name: "Collaborator removed", exact: true }),
  ).toBeVisible();
  await page.goto("/account/history");
  for (const label of ["Collaborator invited", "Collaborator removed"])
    await expect(securityEvent(page, project, label)).toHaveCount(1);
});

test("an owner deletes a release after typing its version; the index drops it", async ({
  maintainer,
  maintainerPage: page,
}) => {
  const project = await publish(maintainer, "wh-delete", ["1.0.0", "2.0.0"]);
  await page.goto(`/manage/project/${project}`);
  await confirmIfAsked(page, maintainer);
  await page.locator('[data-release="1.0.0"]').getByText("Delete this release").click();
  const del = page.getByTestId("delete-release-1.0.0");
  await del.getByRole("button", { name: "Delete release" }).click();
  await expect(del).toContainText("Type the version, 1.0.0, to confirm");
  await del.locator('input[name="confirm"]').fill("1.0.0");
  await del.getByRole("button", { name: "Delete release" }).click();
  await expect(page.locator('[data-release="1.0.0"]')).toHaveCount(0);
  // The release's card is gone with its form: the result shows page-wide, and no older error stays.
  await expect(page.getByTestId("action-outcome")).toContainText("Release 1.0.0 was deleted");
  await expect(page.getByText("Type the version, 1.0.0, to confirm")).toHaveCount(0);
  const simple = await (await page.request.get(`/simple/${project}/`)).text();
  expect(simple).not.toContain(`${project.replace(/-/g, "_")}-1.0.0`);
  expect(simple).toContain(`${project.replace(/-/g, "_")}-2.0.0`);

  await page.goto(`/manage/project/${project}/history`);
  for (const label of ["Release deleted", "File uploaded"]) {
    await expect(
      page.getByTestId("project-history").getByRole("cell", { name: label, exact: true }).first(),
    ).toBeVisible();
  }
  await page.goto("/account/history");
  await expect(securityEvent(page, project, "Release deleted")).toHaveCount(1);
});

test("a project that requires 2FA refuses to invite users without it", async ({
  maintainer,
  maintainerPage: page,
  verifiedUser: noTwoFactor,
}) => {
  const project = await publish(maintainer, "wh-strict", ["1.0"]);
  await page.goto(`/manage/project/${project}/settings`);
  await confirmIfAsked(page, maintainer);
  await page.getByRole("button", { name: "Require two-factor authentication" }).click();
  await expect(page.getByTestId("require-2fa")).toHaveText("required");
  await page.goto(`/manage/project/${project}/collaborators`);
  const invite = page.getByTestId("invite-form");
  await invite.getByLabel("Username").fill(noTwoFactor.username);
  await invite.getByRole("button", { name: "Invite" }).click();
  await expect(invite).toContainText("requires collaborators to have two-factor authentication");
  const invitations = `SELECT 1 FROM role_invitations i
     JOIN users u ON u.id = i.invitee_id JOIN projects p ON p.id = i.project_id
     WHERE u.username = $1 AND p.normalized_name = $2`;
  expect(await sql(invitations, [noTwoFactor.username, project])).toEqual([]);
});

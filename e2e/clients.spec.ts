// The real clients against the real server: build with python -m build, publish with twine,
// install with pip into a fresh virtual environment.
import fs from "node:fs";
import path from "node:path";
import { test, expect, uniqueName } from "./support/test";
import { createVerifiedUser, enrolTotp, signIn } from "./support/accounts";
import { buildProject, freshVenv, twine, WORK } from "./support/python";
import { makeWheel, rawUpload } from "./support/uploads";
import { createToken, revokeToken } from "./support/tokens";
import { BASE_URL } from "./support/env";
import { waitForMail } from "./support/mail";

test("tokens need 2FA first under the default policy; a new token is emailed and shown only once", async ({ page }) => {
  const user = await createVerifiedUser("tokens");
  await signIn(page, user);
  await page.goto("/account/tokens");
  await expect(page.getByTestId("token-policy")).toContainText("requires two-factor authentication");
  const { app } = await enrolTotp(page, user.password);

  const token = await createToken(page, { name: "laptop", password: user.password, app });
  await waitForMail(user.email, /API token named "laptop" was created/);
  // Shown once: after a reload only its name and prefix remain.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await expect(page.getByTestId("tokens")).toContainText(token.slice(0, 15));
  await expect(page.getByTestId("tokens")).not.toContainText(token);
});

test("publish two projects with twine, install the dependent one with pip, re-upload with --skip-existing", async ({
  maintainer,
}) => {
  test.setTimeout(120_000);
  const alpha = await buildProject({
    name: "wh-alpha",
    version: "1.0.0",
    code: "def greet():\n    return 'hello from alpha'\n",
  });
  const beta = await buildProject({
    name: "wh-beta",
    version: "2.1.0",
    dependencies: ["wh-alpha>=1.0"],
    code: "from wh_alpha import greet\n\ndef shout():\n    return greet().upper()\n",
  });
  const files = [alpha.sdist, alpha.wheel, beta.sdist, beta.wheel];
  const uploaded = await twine(files, maintainer.token);
  expect(uploaded.code, uploaded.stdout + uploaded.stderr).toBe(0);

  const venv = await freshVenv("beta");
  const installed = await venv.pip("install", "--index-url", `${BASE_URL}/simple/`, "wh-beta");
  expect(installed.code, installed.stdout + installed.stderr).toBe(0);
  expect(installed.stdout).toMatch(/Successfully installed wh-alpha-1\.0\.0 wh-beta-2\.1\.0/);
  const ran = await venv.python("-c", "import wh_beta; print(wh_beta.shout())");
  expect(ran.stdout.trim()).toBe("HELLO FROM ALPHA");

  // Identical files are accepted again, as PyPI does; --skip-existing is what release scripts use.
  const again = await twine(files, maintainer.token, ["--skip-existing"]);
  expect(again.code, again.stdout + again.stderr).toBe(0);
});

test("a token lists its last use; revoked, twine is refused with it", async ({ maintainer, maintainerPage: page }) => {
  const name = uniqueName("ci");
  const token = await createToken(page, { name, password: maintainer.password, app: maintainer.secondFactor });
  const project = uniqueName("wh-revoked");
  const wheel = (version: string) => ({
    token,
    name: project,
    version,
    filename: `${project.replace(/-/g, "_")}-${version}-py3-none-any.whl`,
  });
  expect(
    (await rawUpload({ ...wheel("1.0"), content: await makeWheel({ name: project, version: "1.0" }) })).status,
  ).toBe(200);
  await page.goto("/account/tokens");
  await expect(page.getByTestId("tokens").getByRole("row", { name: new RegExp(name) })).toContainText("127.0.0.1");

  await revokeToken(page, name);
  fs.mkdirSync(WORK, { recursive: true });
  const file = path.join(WORK, `${project.replace(/-/g, "_")}-1.1-py3-none-any.whl`);
  fs.writeFileSync(file, await makeWheel({ name: project, version: "1.1" }));
  const refused = await twine([file], token);
  expect(refused.code).not.toBe(0);
  expect(refused.stdout + refused.stderr).toContain("Invalid or non-existent API token");
  await page.goto("/account/history");
  await expect(
    page.getByTestId("security-history").locator('tr[data-tag="token:revoked"]').filter({ hasText: name }),
  ).toHaveCount(1);
});

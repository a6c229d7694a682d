// What users copy from Wheelhouse's pages works with the real clients and never points at pypi.org:
// the new-token page's ~/.pypirc and upload command publish here with twine; /help's pip.conf and
// requirements.txt and the project page's command install from here with pip. Copy buttons put the
// text on the clipboard, also on a plain-http address (no asynchronous clipboard API there), and
// say so when copying is impossible.
import fs from "node:fs";
import path from "node:path";
import playwrightConfig from "../playwright.config";
import { test, expect, uniqueName, type Page } from "./support/test";
import { createToken } from "./support/tokens";
import { makeWheel, rawUpload } from "./support/uploads";
import { freshVenv, twineArgs, WORK } from "./support/python";
import { BASE_URL, E2E } from "./support/env";

// wheelhouse.test is this server, reached by a name that is not a secure context (unlike 127.0.0.1 and localhost).
const launchOptions = playwrightConfig.use!.launchOptions!;
test.use({
  launchOptions: {
    ...launchOptions,
    args: [...(launchOptions.args ?? []), "--host-resolver-rules=MAP wheelhouse.test 127.0.0.1"],
  },
});
const insecure = `http://wheelhouse.test:${E2E.port}`;

/** The text of the snippet with this test id, as shown. */
const snippet = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).locator("pre").textContent()) ?? "";

/** A project of the worker's maintainer, published for a test that installs it. */
async function published(token: string): Promise<{ name: string; dir: string }> {
  const name = uniqueName("wh-copy");
  const dir = path.join(WORK, "copy-paste", name);
  fs.mkdirSync(dir, { recursive: true });
  const filename = `${name.replace(/-/g, "_")}-1.0-py3-none-any.whl`;
  const uploaded = await rawUpload({
    token,
    name,
    version: "1.0",
    filename,
    content: await makeWheel({ name, version: "1.0" }),
  });
  expect(uploaded.status, uploaded.reason).toBe(200);
  return { name, dir };
}

test("the new token's .pypirc and upload command, copied as shown, publish here with twine", async ({
  maintainerPage: page,
  maintainer,
  context,
}) => {
  test.setTimeout(120_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const token = await createToken(page, { name: "copy", password: maintainer.password, app: maintainer.secondFactor });

  const pypirc = await snippet(page, "token-pypirc");
  expect(pypirc).toContain(`repository = ${BASE_URL}/legacy/\nusername = __token__\npassword = ${token}\n`);
  const upload = await snippet(page, "token-upload");
  expect(upload).toBe("twine upload --repository wheelhouse dist/*");
  // The copy button puts exactly the file on the clipboard (localhost is a secure context: the clipboard API).
  await page
    .getByTestId("token-pypirc")
    .getByRole("button", { name: /^Copy\b/ })
    .click();
  await expect(page.getByTestId("token-pypirc").getByRole("button", { name: /^Copied/ })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(pypirc);

  // Publish exactly as shown, with the file as saved.
  const name = uniqueName("wh-copy");
  const dir = path.join(WORK, "copy-paste", name);
  fs.mkdirSync(path.join(dir, "dist"), { recursive: true });
  fs.writeFileSync(path.join(dir, ".pypirc"), pypirc);
  const wheel = path.join(dir, "dist", `${name.replace(/-/g, "_")}-1.0-py3-none-any.whl`);
  fs.writeFileSync(wheel, await makeWheel({ name, version: "1.0" }));
  const [command, ...args] = upload.split(" ");
  expect(command).toBe("twine");
  const result = await twineArgs([
    ...args.map((a) => (a === "dist/*" ? wheel : a)),
    "--config-file",
    path.join(dir, ".pypirc"),
    "--disable-progress-bar",
  ]);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  expect(result.stdout + result.stderr).toContain(`${BASE_URL}/legacy/`);
  expect((await page.request.get(`/simple/${name}/`)).status()).toBe(200);
});

test("/help's pip.conf, saved as shown, makes pip install from here", async ({ page, maintainer }) => {
  test.setTimeout(120_000);
  const { name, dir } = await published(maintainer.token);
  await page.goto("/help");
  await expect(page.getByTestId("public-url")).toHaveText(BASE_URL);
  const pipConf = await snippet(page, "help-pip-conf");
  expect(pipConf).toBe(`[global]\nindex-url = ${BASE_URL}/simple/\n`);
  fs.writeFileSync(path.join(dir, "pip.conf"), pipConf);
  const configured = await freshVenv("pip-conf", { PIP_CONFIG_FILE: path.join(dir, "pip.conf") });
  const fromConf = await configured.pip("install", name);
  expect(fromConf.code, fromConf.stdout + fromConf.stderr).toBe(0);
  expect(fromConf.stdout).toContain(`${BASE_URL}/simple/`);
  // The help's twine snippets name this index too.
  expect(await snippet(page, "help-pypirc")).toContain(`repository = ${BASE_URL}/legacy/`);
  expect(await snippet(page, "help-twine-url")).toContain(`--repository-url ${BASE_URL}/legacy/`);
});

test("/help's requirements.txt, with the project added, installs from here", async ({ page, maintainer }) => {
  test.setTimeout(120_000);
  const { name, dir } = await published(maintainer.token);
  await page.goto("/help");
  const requirements = await snippet(page, "help-requirements");
  expect(requirements.split("\n")[0]).toBe(`--index-url ${BASE_URL}/simple/`);
  fs.writeFileSync(path.join(dir, "requirements.txt"), requirements.replace("your-package>=1.0", name));
  const fromFile = await (await freshVenv("requirements")).pip("install", "-r", path.join(dir, "requirements.txt"));
  expect(fromFile.code, fromFile.stdout + fromFile.stderr).toBe(0);
  expect(fromFile.stdout).toContain(`Successfully installed ${name}-1.0`);
});

test("the project page's pip command, typed as shown, installs from here", async ({ page, maintainer }) => {
  test.setTimeout(120_000);
  const { name } = await published(maintainer.token);
  await page.goto(`/project/${name}`);
  const install = (await page.getByTestId("pip-install").locator("code").textContent()) ?? "";
  expect(install).toBe(`pip install --index-url ${BASE_URL}/simple/ ${name}`);
  const [pip, ...pipArgs] = install.split(" ");
  expect(pip).toBe("pip");
  const fromCommand = await (await freshVenv("command")).pip(...pipArgs);
  expect(fromCommand.code, fromCommand.stdout + fromCommand.stderr).toBe(0);
  expect(fromCommand.stdout).toContain(`Successfully installed ${name}-1.0`);
});

test.describe("on a plain-http address", () => {
  test("copy buttons fall back to copying a selection, and say when copying is impossible", async ({
    page,
    context,
  }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE_URL });
    await page.goto(`${insecure}/help`);
    expect(await page.evaluate(() => ({ secure: window.isSecureContext, api: "clipboard" in navigator }))).toEqual({
      secure: false,
      api: false,
    });
    const conf = page.getByTestId("help-pip-conf");
    await conf.getByRole("button", { name: /^Copy\b/ }).click();
    await expect(conf.getByRole("button", { name: /^Copied/ })).toBeVisible();
    await expect(conf.getByRole("status")).toHaveText("Copied to the clipboard.");

    // Read back from a page where the clipboard API exists.
    const reader = await context.newPage();
    await reader.goto(`${BASE_URL}/help`);
    await reader.bringToFront();
    expect(await reader.evaluate(() => navigator.clipboard.readText())).toBe(await conf.locator("pre").textContent());
    await reader.close();

    // A browser that refuses both ways: the button says so, and how to copy by hand.
    const refusing = await context.newPage();
    await refusing.addInitScript(() => {
      document.execCommand = () => false;
    });
    await refusing.goto(`${insecure}/help`);
    const command = refusing.getByTestId("help-pip-install");
    await command.getByRole("button", { name: /^Copy\b/ }).click();
    await expect(command.getByRole("status")).toHaveText(/Could not copy: select the text and copy it with Ctrl\+C/);
    await expect(command.getByRole("button", { name: /^Copy\b/ })).toBeVisible();
  });
});

// Several Wheelhouse processes on one database agree at once: uploads, yanks, session revocations
// and rate-limit counts made through one are seen by the other (no process keeps private state).
import { spawn, type ChildProcess } from "node:child_process";
import { test, expect } from "./support/test";
import { admin, createVerifiedUser, enrolTotp, signIn, submitPassword } from "./support/accounts";
import { createToken } from "./support/tokens";
import { makeWheel, rawUpload } from "./support/uploads";
import { E2E, ROOT, SERVER_ENTRY, serverEnv } from "./support/env";
import { sql } from "./support/db";

// Next to the main server's port (s3-storage.spec.ts takes + 2 to + 5), so two checkouts never collide.
const OTHER = `http://127.0.0.1:${E2E.port + 1}`;
let second: ChildProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  second = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: ROOT,
    // With two edge processes of its own, each keeping its own copies.
    env: { ...serverEnv(), PORT: String(E2E.port + 1), WHEELHOUSE_WORKERS: "2" },
    stdio: "ignore",
  });
  await expect
    .poll(async () => (await fetch(`${OTHER}/help`).catch(() => null))?.status ?? 0, { timeout: 90_000 })
    .toBe(200);
});

test.afterAll(() => {
  second?.kill("SIGTERM");
});

test("a second process sees uploads, yanks, revocations and rate limits at once", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const user = await createVerifiedUser("twin");
  await signIn(page, user);
  const { app } = await enrolTotp(page, user.password);
  const token = await createToken(page, { name: "twin", password: user.password, app });

  // Warm the other process's cache, then upload through this one: the next request there shows it.
  const first = await rawUpload({
    token,
    name: "wh-twin",
    version: "1.0",
    filename: "wh_twin-1.0-py3-none-any.whl",
    content: await makeWheel({ name: "wh-twin", version: "1.0" }),
  });
  expect(first.status).toBe(200);
  expect(await (await fetch(`${OTHER}/simple/wh-twin/`)).text()).not.toContain("wh_twin-2.0");
  const next = await rawUpload({
    token,
    name: "wh-twin",
    version: "2.0",
    filename: "wh_twin-2.0-py3-none-any.whl",
    content: await makeWheel({ name: "wh-twin", version: "2.0" }),
  });
  expect(next.status).toBe(200);
  expect(await (await fetch(`${OTHER}/simple/wh-twin/`)).text()).toContain("wh_twin-2.0-py3-none-any.whl");

  // The other process keeps anonymous project pages and small files in memory: warm both.
  const anonymous = async () => fetch(`${OTHER}/project/wh-twin/2.0`);
  const before = await anonymous();
  expect(before.status).toBe(200);
  expect(await before.text()).not.toContain("Yanked");
  // Each of its edge processes (WHEELHOUSE_WORKERS) keeps its own copy: asked until the edge answering has one.
  let etag: string | null = null;
  await expect
    .poll(async () => {
      etag = (await anonymous()).headers.get("etag");
      return etag && (await fetch(`${OTHER}/project/wh-twin/2.0`, { headers: { "if-none-match": etag } })).status;
    })
    .toBe(304);
  const { files } = (await (
    await fetch(`${OTHER}/simple/wh-twin/`, { headers: { accept: "application/vnd.pypi.simple.v1+json" } })
  ).json()) as { files: { filename: string; url: string }[] };
  const download = `${OTHER}${files.find((f) => f.filename === "wh_twin-1.0-py3-none-any.whl")!.url}`;
  expect((await fetch(download)).status).toBe(200);
  expect((await fetch(download)).status).toBe(200);

  // A yank through this process's UI is never served as current by the other.
  await page.goto("/manage/project/wh-twin");
  const yank = page.getByTestId("yank-2.0");
  await yank.getByRole("button", { name: "Yank 2.0" }).click();
  await page.getByRole("dialog", { name: "Yank wh-twin 2.0?" }).getByRole("button", { name: "Yank release" }).click();
  await expect(page.locator('[data-release="2.0"]').getByText("yanked", { exact: true })).toBeVisible();
  expect(await (await fetch(`${OTHER}/simple/wh-twin/`)).text()).toMatch(
    /wh_twin-2\.0-py3-none-any\.whl[^>]*data-yanked=""/,
  );
  const after = await fetch(`${OTHER}/project/wh-twin/2.0`, { headers: { "if-none-match": etag! } });
  expect(after.status).toBe(200);
  expect(await after.text()).toContain("Yanked");

  // A file deleted here is gone there, though its bytes were served from memory a moment ago.
  const deletion = page.getByTestId("delete-file-wh_twin-1.0-py3-none-any.whl");
  await page.locator("details", { has: deletion }).locator("summary").click();
  await deletion.locator('input[name="confirm"]').fill("wh_twin-1.0-py3-none-any.whl");
  await deletion.getByRole("button", { name: "Delete file" }).click();
  await expect(deletion).toHaveCount(0);
  expect((await fetch(download)).status).toBe(404);

  // The session cookie works on both; revoked through one, it is dead on the other.
  const cookies = await page.context().cookies();
  const elsewhere = await browser.newContext({ baseURL: OTHER });
  await elsewhere.addCookies(cookies.map((c) => ({ ...c, domain: "127.0.0.1" })));
  const elsewherePage = await elsewhere.newPage();
  await elsewherePage.goto("/account/settings");
  await expect(elsewherePage.getByTestId("signed-in-as")).toHaveText(user.username);
  // A signed-in visitor never gets the page kept for anonymous ones.
  await elsewherePage.goto("/project/wh-twin/2.0");
  await expect(elsewherePage.getByTestId("signed-in-as")).toHaveText(user.username);
  expect((await admin("revoke-sessions", user.username)).code).toBe(0);
  await elsewherePage.goto("/account/settings");
  await expect(elsewherePage).toHaveURL(/\/account\/login/);

  // Ten wrong passwords here: the other process refuses the eleventh attempt, even the right one.
  const victim = await createVerifiedUser("limited");
  const attacker = await (await browser.newContext()).newPage();
  for (let i = 0; i < 10; i++) {
    await submitPassword(attacker, victim.username, `wrong password ${i}`);
    await expect(attacker.getByTestId("login-status")).toContainText("not correct");
  }
  await submitPassword(elsewherePage, victim.username, victim.password);
  await expect(elsewherePage.getByTestId("login-status")).toContainText("Too many attempts");
  // The victim's own counter (lib/security/rate-limit.ts keys it by the account's id), not any account's.
  const counter =
    "SELECT r.count FROM rate_limits r JOIN users u ON r.key = 'login:account:user:' || u.id WHERE u.username = $1";
  const [row] = await sql<{ count: number }>(counter, [victim.username]);
  expect(row?.count).toBeGreaterThanOrEqual(10);
  await attacker.context().close();
  await elsewhere.close();
});

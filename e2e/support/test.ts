// The `test` every spec imports (in place of @playwright/test's, which it re-exports with the rest):
// any Content-Security-Policy violation in any page a test opens fails that test, so the policy
// and every page of the suite are checked together in normal use. Violations are caught as the
// page's `securitypolicyviolation` events and as Chromium's console errors about the policy (which
// also report a policy it cannot parse). It also gives the accounts most tests start from, made
// once per worker: `maintainer` and `verifiedUser`.
import { test as base, expect, type BrowserContext, type Cookie, type Page } from "@playwright/test";
import { createVerifiedUser, enrolTotp, enterSudo, signIn, type SecondFactor, type TestUser } from "./accounts";
import { createToken } from "./tokens";

export * from "@playwright/test";

/**
 * Where the guarded contexts report, until the running test checks and empties it (a worker runs one test
 * at a time).
 */
const current: string[] = [];

const BINDING = "__wheelhouseCspViolation";

async function guard(context: BrowserContext): Promise<BrowserContext> {
  await context.exposeBinding(BINDING, ({ page }, text: string) => void current.push(`${page.url()}: ${text}`));
  await context.addInitScript((binding) => {
    document.addEventListener(
      "securitypolicyviolation",
      (e) => {
        const report = (window as unknown as Record<string, (text: string) => void>)[binding];
        report?.(
          `${e.effectiveDirective} blocked ${e.blockedURI || "an inline script or style"} ` +
            `(${e.sourceFile}:${e.lineNumber})`,
        );
      },
      true,
    );
  }, BINDING);
  const watch = (page: import("@playwright/test").Page) =>
    page.on("console", (message) => {
      if (message.type() === "error" && /content[- ]security[- ]policy/i.test(message.text()))
        current.push(`${page.url()}: ${message.text()}`);
    });
  context.pages().forEach(watch);
  context.on("page", watch);
  return context;
}

/**
 * A verified account with two-factor authentication (an authenticator app) and an API token for
 * all its projects: what most specs need before they can publish. One per worker, shared by that
 * worker's tests, so each test names its own projects (`uniqueName`) and leaves the account as it
 * found it: a test that signs it out, changes its password or turns 2FA off builds its own account.
 */
export interface Maintainer extends TestUser {
  /**
   * Hands out the account's recovery codes, one per confirmation. Not the authenticator app: the
   * worker's tests together would soon use up its two codes per 30 s step.
   */
  secondFactor: SecondFactor;
  token: string;
  /** A signed-in session (full, not pending) that the tests share. */
  cookies: Cookie[];
}

interface TestFixtures {
  cspViolations: string[];
  /**
   * The test's own page, signed in as the worker's maintainer (a session shared with other tests: do not
   * sign it out).
   */
  maintainerPage: Page;
}

interface WorkerFixtures {
  guardedBrowser: void;
  /** A verified account without 2FA, for tests that only sign in. */
  verifiedUser: TestUser;
  maintainer: Maintainer;
}

/** A name no other test or run uses, for the projects a test creates: `wh-yank-m3x0k2a`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36)}`;
}

/** Confirms it is the maintainer (sudo mode) if the page asks, with the password and a recovery code. */
export async function confirmIfAsked(page: Page, maintainer: Maintainer): Promise<void> {
  if (await page.getByTestId("sudo-form").count())
    await enterSudo(page, maintainer.password, await maintainer.secondFactor.code());
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  // Every context of the worker's browser is guarded, also those specs create themselves.
  guardedBrowser: [
    async ({ browser }, use) => {
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => guard(await newContext(options));
      await use();
    },
    { scope: "worker", auto: true },
  ],
  verifiedUser: [async ({}, use) => use(await createVerifiedUser("verified")), { scope: "worker" }],
  maintainer: [
    async ({ browser }, use) => {
      const user = await createVerifiedUser("maint");
      const context = await browser.newContext();
      const page = await context.newPage();
      await signIn(page, user);
      const { recoveryCodes } = await enrolTotp(page, user.password);
      // Enrolling confirmed it is the user, so the token needs no code; codes[3] was typed back at enrolment.
      const unused = recoveryCodes.filter((_, i) => i !== 3);
      const secondFactor: SecondFactor = {
        code: async () => {
          const code = unused.shift();
          if (!code)
            throw new Error(
              "The worker's maintainer has used all its recovery codes: build an account of the test's own.",
            );
          return code;
        },
      };
      const token = await createToken(page, { name: "all projects", password: user.password, app: secondFactor });
      const cookies = await context.cookies();
      await context.close();
      await use({ ...user, secondFactor, token, cookies });
    },
    { scope: "worker", timeout: 120_000 },
  ],
  maintainerPage: [
    async ({ page, context, maintainer }, use) => {
      await context.addCookies(maintainer.cookies);
      await use(page);
    },
    { scope: "test" },
  ],
  /** The violations seen during this test; a test that provokes one on purpose checks and empties it. */
  cspViolations: [
    async ({}, use) => {
      // Starts with whatever a beforeAll hook's pages reported, so that those are not lost either.
      await use(current);
      expect(current.splice(0), "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

// The `test` every spec imports (in place of @playwright/test's, which it re-exports with the rest):
// any Content-Security-Policy violation in any page a test opens fails that test, so the policy
// and every page of the suite are checked together in normal use. Violations are caught as the
// page's `securitypolicyviolation` events and as Chromium's console errors about the policy (which
// also report a policy it cannot parse).
import { test as base, expect, type BrowserContext } from "@playwright/test";

export * from "@playwright/test";

/** Where the guarded contexts report, until the running test checks and empties it (a worker runs one test at a time). */
const current: string[] = [];

const BINDING = "__wheelhouseCspViolation";

async function guard(context: BrowserContext): Promise<BrowserContext> {
  await context.exposeBinding(BINDING, ({ page }, text: string) => void current.push(`${page.url()}: ${text}`));
  await context.addInitScript((binding) => {
    document.addEventListener(
      "securitypolicyviolation",
      (e) => {
        const report = (window as unknown as Record<string, (text: string) => void>)[binding];
        report?.(`${e.effectiveDirective} blocked ${e.blockedURI || "an inline script or style"} (${e.sourceFile}:${e.lineNumber})`);
      },
      true,
    );
  }, BINDING);
  const watch = (page: import("@playwright/test").Page) =>
    page.on("console", (message) => {
      if (message.type() === "error" && /content[- ]security[- ]policy/i.test(message.text())) current.push(`${page.url()}: ${message.text()}`);
    });
  context.pages().forEach(watch);
  context.on("page", watch);
  return context;
}

export const test = base.extend<{ cspViolations: string[] }, { guardedBrowser: void }>({
  // Every context of the worker's browser is guarded, also those specs create themselves.
  guardedBrowser: [
    async ({ browser }, use) => {
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => guard(await newContext(options));
      await use();
    },
    { scope: "worker", auto: true },
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

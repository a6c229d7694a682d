// The styled error page (issue 12), as a visitor meets it: a private server whose database is paused
// renders Next's pages as the site's error page (header, what to do, a 503 to retry), never a stack
// trace; once the database answers again the same page works. Its own server, port and data
// directory, so the shared server never suffers the pause.
import fs from "node:fs";
import { test, expect } from "./support/test";
import { E2E } from "./support/env";
import {
  dataDir,
  postgresProcesses,
  privateEnv,
  startServer,
  stopAll,
  type ServerProcess,
} from "./support/server-process";

// Next to faults.spec.ts's servers (E2E.port + 6..9, E2E.pgPort + 5..9).
const PORT = E2E.port + 10;
const PG_PORT = E2E.pgPort + 10;

test("a paused database shows the styled error page with a 503 to retry, and the page recovers", async ({ page }) => {
  test.setTimeout(240_000);
  const name = "error-page";
  const dir = dataDir(name);
  fs.rmSync(dir, { recursive: true, force: true });
  let server: ServerProcess | undefined;
  let paused: number[] = [];
  try {
    server = await startServer(privateEnv(name, PORT, PG_PORT));
    const base = `http://localhost:${PORT}`;
    for (const path of ["/", "/search?q=anything"]) {
      await page.goto(`${base}${path}`);
      await expect(page.getByTestId("server-error")).toHaveCount(0);
    }

    paused = await postgresProcesses(dir);
    expect(paused.length).toBeGreaterThan(1);
    for (const pid of paused) process.kill(pid, "SIGSTOP");

    for (const path of ["/", "/search?q=anything"]) {
      const answer = await page.goto(`${base}${path}`, { timeout: 60_000 });
      expect(answer!.status(), path).toBe(503);
      expect(answer!.headers()["retry-after"], path).toMatch(/^\d+$/);
      const error = page.getByTestId("server-error");
      await expect(error.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
      await expect(error).toContainText("Please try again in a moment");
      // The site's own frame: its header with the way home, its styles applied.
      await expect(page.locator("header.site-header").getByRole("link", { name: "Wheelhouse" })).toBeVisible();
      await expect(error.getByRole("link", { name: "Go to the home page" })).toHaveAttribute("href", "/");
      const buttonBackground = await error
        .getByRole("button", { name: "Try again" })
        .evaluate((b) => getComputedStyle(b).backgroundColor);
      expect(buttonBackground).not.toBe("rgba(0, 0, 0, 0)");
      // Nothing of the server's insides.
      const text = await page.locator("body").innerText();
      expect(text).not.toMatch(/\bat \S+ \(|node_modules|Error:|ECONN|Prisma|stack/i);
    }

    for (const pid of paused) process.kill(pid, "SIGCONT");
    paused = [];
    // "Try again" once the database answers: the page itself comes back.
    await expect
      .poll(
        async () => {
          const answer = await page.goto(`${base}/search?q=anything`);
          return answer!.status();
        },
        { timeout: 30_000 },
      )
      .toBe(200);
    await expect(page.getByTestId("server-error")).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Search results for “anything”" })).toBeVisible();
  } finally {
    for (const pid of paused) process.kill(pid, "SIGCONT");
    await stopAll(server, dir);
  }
});

// A few thousand malformed requests over every route family, generated from a seed (FUZZ_SEED to
// reproduce a run, FUZZ_REQUESTS to change how many): none may be answered with a 5xx or go
// unanswered, the server must still serve afterwards, and nothing may be left stored.
import http from "node:http";
import path from "node:path";
import { test, expect } from "./support/test";
import { createVerifiedUser, enrolTotp, signIn } from "./support/accounts";
import { createToken } from "./support/tokens";
import { makeWheel, rawUpload } from "./support/uploads";
import { sql, storedFiles } from "./support/db";
import { actionIdsIn, baseWheels, brokenWheels, generate, send, type FuzzRequest } from "./support/malformed";

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000);
const CONCURRENCY = 6;

// Its own account, not the worker's shared one: fuzzed requests carry this session and may end it.
test("malformed requests over every route family: no 5xx, the server keeps serving, nothing is stored", async ({
  browser,
  request,
}) => {
  test.setTimeout(300_000);
  test.info().annotations.push({ type: "seed", description: `FUZZ_SEED=${SEED} FUZZ_REQUESTS=${REQUESTS}` });

  // Something real to aim near: a project with a release and a file, uploaded with a real token.
  const page = await browser.newPage();
  const user = await createVerifiedUser("fuzz");
  await signIn(page, user);
  const { app } = await enrolTotp(page, user.password);
  const token = await createToken(page, { name: "fuzz", password: user.password, app });
  const session = (await page.context().cookies()).find((c) => c.name === "wheelhouse_session")!.value;
  // Server actions with their real ids, read from the forms of pages anyone or a signed-in user sees.
  const actions: { page: string; id: string }[] = [];
  const pages = [
    ["/account/login", false],
    ["/account/signup", false],
    ["/account/reset-password", false],
    ["/account/settings", true],
    ["/account/security", true],
    ["/account/tokens", true],
  ] as const;
  for (const [path, signedIn] of pages) {
    const html = await (
      await request.get(path, { headers: signedIn ? { cookie: `wheelhouse_session=${session}` } : {} })
    ).text();
    for (const id of actionIdsIn(html)) actions.push({ page: path, id });
  }
  expect(new Set(actions.map((a) => a.page)).size).toBeGreaterThan(3);
  await page.close();
  const project = `fzreal-${SEED}`;
  const real = await rawUpload({
    token,
    name: project,
    version: "1.0",
    filename: `fzreal_${SEED}-1.0-py3-none-any.whl`,
    content: await makeWheel({ name: project, version: "1.0" }),
  });
  expect(real.status, real.reason).toBe(200);
  const simple = await (
    await request.get(`/simple/${project}/`, { headers: { accept: "application/vnd.pypi.simple.v1+json" } })
  ).json();
  const downloadPath = new URL(simple.files[0].url, "http://x").pathname;

  // Uploads carry this prefix in their project names: none of them may be stored.
  const prefix = `fz-${SEED}`;
  const requests = generate(
    SEED,
    REQUESTS,
    { project, version: "1.0", downloadPath, token, actions, session },
    await baseWheels(prefix, 4),
    await brokenWheels(prefix),
  );

  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const r: FuzzRequest = requests[i]!;
      const answer = await send(agent, r);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (
        answer.status === 0 ||
        answer.status >= 500 ||
        (r.mustRefuse && (answer.status < 400 || answer.status >= 500))
      ) {
        const headers = Object.entries(r.headers)
          .map(([k, v]) => `${k}: ${v.slice(0, 80)}`)
          .join("; ");
        failures.push(`#${i} ${r.what.slice(0, 200)} -> ${answer.status || answer.error} [${headers}]`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  test.info().annotations.push({ type: "statuses", description: JSON.stringify(Object.fromEntries(statuses)) });
  expect(failures, `FUZZ_SEED=${SEED}: requests answered 5xx or not at all, or broken uploads accepted`).toEqual([]);

  // Still serving, fast paths and Next alike.
  expect((await request.get("/help")).status()).toBe(200);
  expect((await request.get(`/simple/${project}/`)).status()).toBe(200);
  expect((await request.get(downloadPath)).status()).toBe(200);
  expect((await request.get(`/project/${project}`)).status()).toBe(200);

  // Nothing stored: no project, file or filename from the uploads, no temporary file, and no blob
  // that no file row refers to (other specs upload meanwhile: their blobs gain rows within moments).
  expect(await sql("SELECT normalized_name FROM projects WHERE normalized_name LIKE $1", [`${prefix}-%`])).toEqual([]);
  expect(
    await sql("SELECT filename FROM filename_registry WHERE filename LIKE $1", [`${prefix.replace(/-/g, "_")}\\_%`]),
  ).toEqual([]);
  await expect.poll(() => storedFiles().temporary, { timeout: 15_000 }).toEqual([]);
  await expect
    .poll(
      async () => {
        const rows = await sql<{ key: string }>(
          "SELECT sha256 AS key FROM files UNION SELECT metadata_sha256 FROM files WHERE metadata_sha256 IS NOT NULL",
        );
        const referenced = new Set(rows.map((r) => r.key));
        return storedFiles()
          .blobs.map((b) => path.basename(b))
          .filter((key) => !referenced.has(key));
      },
      { timeout: 15_000 },
    )
    .toEqual([]);
});

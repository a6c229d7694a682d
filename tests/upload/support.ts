// What the upload tests share: a publisher with a token, hand-made multipart bodies, hand-made
// wheels, and a look at everything an upload could have left behind.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { db } from "@/lib/db/client";
import { createUser } from "@/lib/accounts/users";
import { accountSelect } from "@/lib/accounts/account";
import { createApiToken } from "@/lib/api-tokens/tokens";
import { handleUpload, type UploadResult } from "@/lib/upload/upload";
import type { RequestInfo } from "@/lib/http/request-info";
import { requestInfo, STRONG_PASSWORD, sudoSession, uniqueIdentity } from "../unit/helpers";
import { writeZip, type Members } from "../packaging/build-archives";
import { multipart as multipartBody, uploadParts, type Part } from "../../e2e/support/uploads";

/** A verified user with 2FA on and an API token for all their projects. */
export async function publisher(): Promise<{ userId: string; token: string }> {
  const created = await createUser({ ...uniqueIdentity("pub"), password: STRONG_PASSWORD, verified: true }, null);
  if (!created.ok) throw new Error(JSON.stringify(created));
  const row = await db().user.update({
    where: { id: created.user.id },
    data: { totpEnabledAt: new Date(), twoFactorEnabledAt: new Date() },
    select: accountSelect,
  });
  const result = await createApiToken(
    await sudoSession(row.id),
    { name: "ci", projectIds: null, expiresAt: null },
    requestInfo(),
  );
  if (!result.ok) throw new Error(JSON.stringify(result));
  return { userId: row.id, token: result.token };
}

export const basic = (token: string, username = "__token__") =>
  `Basic ${Buffer.from(`${username}:${token}`).toString("base64")}`;

export const BOUNDARY = "----wheelhouse-test-boundary";

/** A multipart/form-data body exactly as written (see e2e/support/uploads.ts). */
export const multipart = (parts: Part[], opts: { boundary?: string; end?: boolean } = {}) =>
  multipartBody(parts, opts.boundary ?? BOUNDARY, opts);
export const uploadForm = uploadParts;

export function upload(
  token: string | null,
  body: Buffer,
  opts: { contentType?: string; info?: RequestInfo } = {},
): Promise<UploadResult> {
  return handleUpload(
    token === null ? null : basic(token),
    opts.contentType ?? `multipart/form-data; boundary=${BOUNDARY}`,
    Readable.from([body]),
    opts.info ?? requestInfo(),
  );
}

/** A wheel's members: `metadata` and `wheel` replace METADATA's and WHEEL's text. */
export async function wheel(
  dir: string,
  opts: { name: string; version: string; metadata?: string; wheel?: string },
): Promise<Buffer> {
  const dist = opts.name.replace(/[-.]+/g, "_");
  const distInfo = `${dist}-${opts.version}.dist-info`;
  const members: Members = {
    [`${dist}/__init__.py`]: `VALUE = ${JSON.stringify(crypto.randomUUID())}\n`,
    [`${distInfo}/METADATA`]:
      opts.metadata ?? `Metadata-Version: 2.1\nName: ${opts.name}\nVersion: ${opts.version}\nSummary: A test wheel\n`,
    [`${distInfo}/WHEEL`]:
      opts.wheel ?? "Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    [`${distInfo}/RECORD`]: "",
  };
  const file = path.join(dir, `${crypto.randomUUID()}.whl`);
  await writeZip(file, members);
  return fs.promises.readFile(file);
}

/** Every trace an upload of `name` with these bytes could leave: blobs, temporary files, rows. */
export async function traces(dataDir: string, name: string, content: Buffer) {
  const files = path.join(dataDir, "files");
  const sha256 = crypto.createHash("sha256").update(content).digest("hex");
  const tmp = path.join(files, ".tmp");
  return {
    blob: fs.existsSync(path.join(files, sha256.slice(0, 2), sha256.slice(2, 4), sha256)),
    temporary: fs.existsSync(tmp) ? fs.readdirSync(tmp) : [],
    projects: await db().project.count({ where: { normalizedName: name } }),
    files: await db().file.count({ where: { sha256 } }),
  };
}

export const NOTHING = { blob: false, temporary: [], projects: 0, files: 0 };

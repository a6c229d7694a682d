// The upload API (`POST /legacy/`, what twine posts), after Warehouse's forklift: authenticate the
// token, stream the file in, validate it against its filename, form and own metadata, then store
// the file and its rows together or not at all.
import "server-only";
import fs from "node:fs/promises";
import crypto from "node:crypto";
import type { Readable } from "node:stream";
import { db, Prisma } from "@/lib/db/client";
import { DATABASE_WAIT_MS, isDatabaseUnavailable, TRANSACTION_LIMIT_MS } from "@/lib/db/availability";
import { config } from "@/lib/config";
import { blobStore } from "@/lib/storage";
import { attempt, LIMITS, type Limit } from "@/lib/security/rate-limit";
import { safeEqual } from "@/lib/security/tokens";
import { authenticateToken, markTokenUsed, presentedPrefix, type AuthenticatedToken } from "@/lib/api-tokens/tokens";
import { decide, type Facts, type ProjectFacts, type Reason, type Role } from "@/lib/authz/policy";
import { actorFacts, sitePolicy } from "@/lib/authz/facts";
import { confusableSkeleton, isValidProjectName, normalizeName } from "@/lib/packaging/names";
import { canonicalizeVersion, isPrerelease, validateUploadVersion } from "@/lib/packaging/versions";
import { validateFilename } from "@/lib/packaging/filenames";
import { inspectSdist, inspectWheel } from "@/lib/packaging/archive";
import { releaseFields, validateMetadataAgainstForm, type CoreMetadata } from "@/lib/packaging/metadata";
import { recordProjectEvent } from "@/lib/projects/journal";
import { refreshProjectSummary } from "@/lib/projects/summary";
import { dropUnusedBlobs, lockStoredBlobs } from "@/lib/storage/stored-files";
import { renderDescription, RENDERER_VERSION } from "@/lib/readme";
import { quote } from "@/lib/packaging/quote";
import type { RequestInfo } from "@/lib/http/request-info";
import { UploadError } from "./errors";
import { receiveForm, type ReceivedFile } from "./receive";

export interface UploadResult {
  status: number;
  message: string;
}

const TOKENS_HELP =
  "Create an API token under Account settings > API tokens, " +
  "then upload with username __token__ and the token as password.";

/** What the policy decides an upload on: the token, its user, and the project when there is one. */
function uploadFacts(token: AuthenticatedToken, project?: ProjectFacts): Facts {
  return {
    actor: actorFacts(token.user),
    site: sitePolicy(),
    token: { allProjects: token.allProjects, projectIds: token.projectIds, expiresAt: token.expiresAt },
    project,
  };
}

/** The policy's refusals in the words twine has always printed (the project's name where it has one). */
function refusedUpload(reason: Reason, token: AuthenticatedToken, project: string): UploadError {
  const user = quote(token.user.username);
  switch (reason) {
    case "token-expired":
      return new UploadError(
        403,
        `This API token expired on ${token.expiresAt!.toISOString().slice(0, 10)}. Create a new one.`,
      );
    case "needs-verified-email":
      return new UploadError(
        403,
        `User ${user} cannot publish: Verify your email address before creating API tokens or publishing.`,
      );
    case "site-requires-2fa":
      return new UploadError(
        403,
        `User ${user} cannot publish: This Wheelhouse requires two-factor authentication for publishing: ` +
          `enable it under Account settings > Security first.`,
      );
    case "not-member":
    case "not-owner":
      return new UploadError(403, `The user ${user} isn't allowed to upload to project ${quote(project)}.`);
    case "token-out-of-scope":
      return new UploadError(403, `This API token is not scoped to project ${quote(project)}.`);
    case "token-scope-gone":
      return new UploadError(
        403,
        "This API token was scoped only to projects that have since been deleted, so it can no longer be used. " +
          "Revoke it and create a new one.",
      );
    case "token-cannot-create":
      return new UploadError(
        403,
        `This API token is scoped to specific projects and cannot create the new project ${quote(project)}.`,
      );
    case "project-requires-2fa":
      return new UploadError(
        403,
        `Project ${quote(project)} requires its collaborators to enable two-factor authentication before uploading.`,
      );
    case "needs-2fa":
    case "needs-sudo":
    case "needs-session":
      return new UploadError(403, `User ${user} cannot do this with an API token.`);
  }
}

/** Checks HTTP basic credentials; only API tokens are accepted, as on PyPI. */
async function authenticate(authorization: string | null, info: RequestInfo): Promise<AuthenticatedToken> {
  const match = authorization?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!match) throw new UploadError(401, `Authentication required. ${TOKENS_HELP}`);
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const username = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? "" : decoded.slice(colon + 1);
  if (username !== "__token__") {
    throw new UploadError(
      403,
      `Username/password authentication is not supported: API tokens are required. ${TOKENS_HELP}`,
    );
  }
  // Tokens carry 256 random bits: no guess can succeed, so a presented token is always looked up
  // (one indexed read) and a valid one always accepted. Refusing before the lookup would let one
  // address's failures (a shared CI runner, every client behind one proxy) lock out everyone else
  // there. Failures are counted per address and per token prefix; past either limit they are
  // answered 429, so that a runaway script backs off and the counters show who is hammering.
  const presented = password.trim();
  const check = await authenticateToken(presented);
  if (!check.ok)
    throw await failedAttempt(
      presented,
      info,
      new UploadError(403, `Invalid or non-existent API token. ${TOKENS_HELP}`),
    );
  // Whether this token may publish at all, before the upload is read: expiry, the account's state.
  const decision = decide("account:publish", uploadFacts(check.token));
  if (!decision.allowed) {
    const refusal = refusedUpload(decision.reason, check.token, "");
    // An expired token counts as a failed attempt, as an unknown one does.
    throw decision.reason === "token-expired" ? await failedAttempt(presented, info, refusal) : refusal;
  }
  return check.token;
}

/** Counts a failed authentication; past either limit the answer is 429 instead of `refusal`. */
async function failedAttempt(presented: string, info: RequestInfo, refusal: UploadError): Promise<UploadError> {
  const prefix = presentedPrefix(presented);
  const counted: [Limit, string][] = [[LIMITS.uploadAuthPerIp, info.ip ?? "unknown"]];
  if (prefix) counted.push([LIMITS.uploadAuthPerToken, prefix]);
  const state = await attempt(counted);
  if (!state.limited) return refusal;
  const minutes = Math.max(1, Math.ceil((state.retryAt.getTime() - Date.now()) / 60_000));
  return new UploadError(
    429,
    `Too many failed authentication attempts from this address or with this token. Try again in ${minutes} minutes.`,
  );
}

function field(fields: Map<string, string[]>, name: string): string | null {
  const value = fields.get(name)?.[0];
  return value === undefined || value.trim() === "" ? null : value;
}

function checkDigests(fields: Map<string, string[]>, file: ReceivedFile): void {
  const given: [string, string][] = [
    ["sha256_digest", file.sha256],
    ["blake2_256_digest", file.blake2b256],
    ["md5_digest", file.md5],
  ];
  let any = false;
  for (const [name, actual] of given) {
    const value = field(fields, name)?.trim().toLowerCase();
    if (!value) continue;
    any = true;
    // md5_digest is sent base64url by old clients, hex by twine.
    const md5Alternative =
      name === "md5_digest" ? Buffer.from(actual, "hex").toString("base64url").toLowerCase() : null;
    if (!safeEqual(value, actual) && !(md5Alternative && safeEqual(value, md5Alternative))) {
      throw new UploadError(400, "The digest supplied does not match a digest calculated from the uploaded file.");
    }
  }
  if (!any) throw new UploadError(400, "Include at least one message digest (sha256_digest or blake2_256_digest).");
}

interface Validated {
  projectName: string;
  version: string;
  filetype: "bdist_wheel" | "sdist";
  pyversion: string;
  metadata: CoreMetadata;
  /** The wheel's METADATA file, for PEP 658. */
  metadataFile: Buffer | null;
}

async function validate(fields: Map<string, string[]>, file: ReceivedFile): Promise<Validated> {
  const action = field(fields, ":action");
  if (action !== "file_upload") {
    throw new UploadError(
      400,
      action
        ? `Unknown :action ${quote(action)}: only file_upload is supported.`
        : "Missing :action: expected file_upload.",
    );
  }
  const protocol = field(fields, "protocol_version") ?? "1";
  if (protocol !== "1") throw new UploadError(400, `Unknown protocol_version ${quote(protocol)}.`);

  const name = field(fields, "name");
  if (!name) throw new UploadError(400, "Missing name: the form must name the project.");
  if (!isValidProjectName(name)) {
    throw new UploadError(
      400,
      `${quote(name)} is an invalid value for Name. ` +
        `Names start and end with a letter or digit and contain only ASCII letters, digits, '.', '_' and '-'.`,
    );
  }
  const versionCheck = validateUploadVersion(field(fields, "version"));
  if (!versionCheck.ok) throw new UploadError(400, versionCheck.message);
  const filetype = field(fields, "filetype");
  if (filetype !== "bdist_wheel" && filetype !== "sdist") {
    throw new UploadError(
      400,
      filetype
        ? `Unknown type of file ${quote(filetype)}: upload wheels (bdist_wheel) or sdists.`
        : "Missing filetype.",
    );
  }
  const filenameCheck = validateFilename({
    filename: file.filename,
    filetype,
    projectName: name,
    version: versionCheck.version,
  });
  if (!filenameCheck.ok) throw new UploadError(400, filenameCheck.message);
  checkDigests(fields, file);

  const parsed = filenameCheck.parsed;
  const inspection =
    filetype === "bdist_wheel"
      ? await inspectWheel(file.tempPath, {
          name: parsed.name,
          version: parsed.version,
          filename: file.filename,
          tags: parsed.kind === "bdist_wheel" ? parsed.tags : undefined,
        })
      : await inspectSdist(file.tempPath, file.filename);
  if (!inspection.ok) throw new UploadError(400, inspection.message);
  const mismatches = validateMetadataAgainstForm(inspection.metadata, { name, version: versionCheck.version });
  if (mismatches.length) throw new UploadError(400, mismatches.join(" "));

  return {
    projectName: name,
    version: versionCheck.version,
    filetype,
    pyversion: field(fields, "pyversion") ?? (filetype === "sdist" ? "source" : "py3"),
    metadata: inspection.metadata,
    metadataFile: filetype === "bdist_wheel" ? Buffer.from(inspection.metadataText, "utf8") : null,
  };
}

/** The project to upload to: existing and allowed, or new (then owned by the uploader). */
async function resolveProject(
  tx: Prisma.TransactionClient,
  name: string,
  token: AuthenticatedToken,
  info: RequestInfo,
): Promise<{ id: string; name: string }> {
  const normalizedName = normalizeName(name);
  const existing = await tx.project.findUnique({
    where: { normalizedName },
    select: { id: true, name: true, requireTwoFactor: true },
  });
  if (existing) {
    const member = await tx.projectRole.findUnique({
      where: { projectId_userId: { projectId: existing.id, userId: token.user.id } },
      select: { role: true },
    });
    const project = {
      id: existing.id,
      role: (member?.role as Role | undefined) ?? null,
      requireTwoFactor: existing.requireTwoFactor,
    };
    const decision = decide("project:upload", uploadFacts(token, project));
    if (!decision.allowed) throw refusedUpload(decision.reason, token, existing.name);
    return { id: existing.id, name: existing.name };
  }
  const creating = decide("project:create", uploadFacts(token));
  if (!creating.allowed) throw refusedUpload(creating.reason, token, name);
  const skeleton = confusableSkeleton(name);
  const reserved = await tx.reservedProjectName.findFirst({
    where: { OR: [{ normalizedName }, { confusableKey: skeleton }] },
    select: { name: true },
  });
  if (reserved) {
    throw new UploadError(
      400,
      `The name ${quote(name)} belonged to a deleted project (${quote(reserved.name)}) and cannot be used again. ` +
        `Choose a different name.`,
    );
  }
  const lookalike = await tx.project.findUnique({ where: { confusableKey: skeleton }, select: { name: true } });
  if (lookalike) {
    throw new UploadError(
      400,
      `The name ${quote(name)} is too similar to an existing project (${quote(lookalike.name)}). ` +
        `Choose a different name.`,
    );
  }
  const project = await tx.project.create({
    data: {
      name,
      normalizedName,
      confusableKey: skeleton,
      roles: { create: { userId: token.user.id, role: "owner" } },
    },
    select: { id: true, name: true },
  });
  await recordProjectEvent(
    tx,
    project.id,
    "project:created",
    { id: token.user.id, ip: info.ip },
    { by: token.user.username },
  );
  return project;
}

/**
 * The release row's metadata, with its README rendered. Called before the transaction: rendering is the one
 * CPU-heavy step of an upload, and must not run while the project's upload lock and a connection are held. It runs
 * for every file, not only a release's first (a second file finds the release and drops the result): that costs
 * less than a second round trip to find out.
 */
function releaseData(meta: CoreMetadata) {
  const fields = releaseFields(meta);
  return {
    ...fields,
    projectUrls: fields.projectUrls.map((u) => ({ label: u.label, url: u.url })),
    descriptionHtml: renderDescription(meta.description, meta.descriptionContentType).html || null,
    descriptionRenderer: RENDERER_VERSION,
  };
}

/** Adds the validated file, its release (first upload of a version) and project (first upload of a name). */
async function commit(
  file: ReceivedFile,
  v: Validated,
  token: AuthenticatedToken,
  info: RequestInfo,
  metadataSha256: string | null,
): Promise<UploadResult> {
  const newRelease = releaseData(v.metadata);
  return db().$transaction(async (tx) => {
    // One upload of a name at a time: serialises first uploads that would create the same project. PostgreSQL bounds
    // the wait itself, below the client's query timeout: a wait abandoned by the client would leave the connection
    // busy on the server, and the next query on it would time out too.
    await tx.$executeRaw`SELECT set_config('lock_timeout', ${`${LOCK_WAIT_MS}ms`}, true)`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"upload:" + normalizeName(v.projectName)}))`;
    const project = await resolveProject(tx, v.projectName, token, info);

    const existing = await tx.file.findUnique({ where: { filename: file.filename }, select: { sha256: true } });
    if (existing) {
      if (existing.sha256 === file.sha256)
        return { status: 200, message: "OK: this file was already uploaded with the same contents." };
      throw new UploadError(
        400,
        `File already exists (${quote(file.filename)}, with sha256 hash ${existing.sha256}). ` +
          `See /help#file-name-reuse for more information.`,
      );
    }
    if (await tx.filenameRegistry.findUnique({ where: { filename: file.filename } })) {
      throw new UploadError(
        400,
        "This filename has already been used, use a different version. Deleted files' names cannot be reused.",
      );
    }
    const sameContents = await tx.file.findFirst({ where: { sha256: file.sha256 }, select: { filename: true } });
    if (sameContents) {
      throw new UploadError(400, `File already exists: its contents are identical to ${quote(sameContents.filename)}.`);
    }

    // A deletion of a file with the same contents may have removed the bytes this upload stored a moment ago.
    if (!(await lockStoredBlobs(tx, metadataSha256 ? [file.sha256, metadataSha256] : [file.sha256]))) {
      throw new UploadError(
        503,
        "A file with the same contents was being deleted while this upload was stored. " +
          "Nothing was saved; retry the upload.",
      );
    }

    const canonicalVersion = canonicalizeVersion(v.version)!;
    let release = await tx.release.findUnique({
      where: { projectId_canonicalVersion: { projectId: project.id, canonicalVersion } },
      select: { id: true },
    });
    release ??= await tx.release.create({
      data: {
        projectId: project.id,
        version: v.version,
        canonicalVersion,
        isPrerelease: isPrerelease(v.version),
        uploaderId: token.user.id,
        ...newRelease,
      },
      select: { id: true },
    });
    if (v.filetype === "sdist" && (await tx.file.count({ where: { releaseId: release.id, packagetype: "sdist" } }))) {
      throw new UploadError(400, "Only one sdist may be uploaded per release.");
    }
    await tx.file.create({
      data: {
        releaseId: release.id,
        projectId: project.id,
        filename: file.filename,
        packagetype: v.filetype,
        pythonVersion: v.pyversion.slice(0, 64),
        requiresPython: newRelease.requiresPython,
        size: file.size,
        sha256: file.sha256,
        md5: file.md5,
        blake2b256: file.blake2b256,
        metadataSha256,
        uploaderId: token.user.id,
      },
    });
    await tx.filenameRegistry.create({ data: { filename: file.filename } });
    await refreshProjectSummary(tx, project.id);
    await recordProjectEvent(
      tx,
      project.id,
      "file:uploaded",
      { id: token.user.id, ip: info.ip },
      {
        filename: file.filename,
        version: v.version,
      },
    );
    return { status: 200, message: "OK" };
  }, COMMIT_TRANSACTION);
}

/**
 * Waiting for a connection is bounded like every other query. The transaction itself (about 14 statements, nothing
 * CPU-heavy) gets a generous but finite time: one that is stuck must release the project's lock and its connection,
 * and roll back, rather than hold up every later upload of the project.
 */
const COMMIT_TRANSACTION = { maxWait: DATABASE_WAIT_MS, timeout: TRANSACTION_LIMIT_MS };
const LOCK_WAIT_MS = DATABASE_WAIT_MS - 1_000;

/** PostgreSQL's lock_not_available (55P03): the project's lock stayed taken for LOCK_WAIT_MS. */
function isLockTimeout(err: unknown): boolean {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const cause = (err.meta?.driverAdapterError as { cause?: { originalCode?: unknown } } | undefined)?.cause;
  return cause?.originalCode === "55P03";
}

export async function handleUpload(
  authorization: string | null,
  contentType: string,
  body: Readable,
  info: RequestInfo,
): Promise<UploadResult> {
  let received: ReceivedFile | null = null;
  const stored: string[] = [];
  try {
    const token = await authenticate(authorization, info);
    const store = blobStore();
    const form = await receiveForm(
      body,
      contentType,
      () => store.tempPath(),
      config().WHEELHOUSE_MAX_UPLOAD_MB * 1024 * 1024,
    );
    received = form.file;
    if (!received) throw new UploadError(400, "Upload payload does not have a file (the 'content' field).");
    const validated = await validate(form.fields, received);

    // Files go into the store first and rows second; if the rows fail, the files are removed again.
    let metadataSha256: string | null = null;
    if (validated.metadataFile) {
      metadataSha256 = crypto.createHash("sha256").update(validated.metadataFile).digest("hex");
      await store.putBytes(metadataSha256, validated.metadataFile);
      stored.push(metadataSha256);
    }
    await store.putFile(received.tempPath, received.sha256);
    stored.push(received.sha256);
    const result = await commit(received, validated, token, info, metadataSha256);
    stored.length = 0;
    await markTokenUsed(token.id, info.ip);
    return result;
  } catch (err) {
    await dropUnusedBlobs(stored).catch(() => {});
    if (err instanceof UploadError) return { status: err.status, message: err.message };
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      return { status: 409, message: "A concurrent upload changed this project; retry the upload." };
    }
    // The transaction ran out of time (P2028, see COMMIT_TRANSACTION) or one statement did (the project's lock held
    // by a stuck upload, or the database not answering): rolled back, so the client may simply retry.
    if (
      (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2028") ||
      isLockTimeout(err) ||
      isDatabaseUnavailable(err)
    ) {
      return {
        status: 503,
        message: "The index is too busy to store this upload right now. Nothing was saved; retry in a few seconds.",
      };
    }
    console.error("wheelhouse: upload failed:", err);
    return { status: 500, message: "Internal error while storing the upload. Nothing was saved; retry later." };
  } finally {
    if (received) await fs.rm(received.tempPath, { force: true }).catch(() => {});
  }
}

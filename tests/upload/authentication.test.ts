// Failed token authentications are limited per address and per token prefix, and a valid token is
// never refused because of other people's failures from the same address.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "@/lib/security/rate-limit";
import { requestInfo, suffix, withTempDataDir } from "../unit/helpers";
import { multipart, publisher, upload, uploadForm, wheel } from "./support";

withTempDataDir();
let token = "";
let scratch = "";

beforeAll(async () => {
  token = (await publisher()).token;
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "wh-auth-"));
});

async function aWheelUpload() {
  const name = `wh-${suffix()}`;
  const content = await wheel(scratch, { name, version: "1.0" });
  return multipart(
    uploadForm({ name, version: "1.0", filename: `${name.replace(/-/g, "_")}-1.0-py3-none-any.whl`, content }),
  );
}

/** Another random token-shaped string, keeping the first `keep` characters of `like`. */
const unknownToken = (like: string, keep: number) => like.slice(0, keep) + "A".repeat(like.length - keep);

describe("upload authentication limits", () => {
  it("keeps accepting a valid token from an address that has used up its failures", async () => {
    const shared = requestInfo();
    for (let i = 0; i < LIMITS.uploadAuthPerIp.max; i++) {
      expect((await upload(`wheelhouse-${suffix()}${"x".repeat(33)}`, Buffer.alloc(0), { info: shared })).status).toBe(
        403,
      );
    }
    const over = await upload(`wheelhouse-${suffix()}${"x".repeat(33)}`, Buffer.alloc(0), { info: shared });
    expect(over.status).toBe(429);
    expect(over.message).toMatch(
      /^Too many failed authentication attempts from this address or with this token\. Try again in \d+ minutes\.$/,
    );
    // The CI job next door, same address, valid token: published.
    expect(await upload(token, await aWheelUpload(), { info: shared })).toEqual({ status: 200, message: "OK" });
  });

  it("limits failures with one token prefix across addresses, without refusing the token that has it", async () => {
    const guess = unknownToken(token, "wheelhouse-".length + 4);
    for (let i = 0; i < LIMITS.uploadAuthPerToken.max; i++)
      expect((await upload(guess, Buffer.alloc(0))).status).toBe(403);
    expect((await upload(guess, Buffer.alloc(0))).status).toBe(429);
    expect(await upload(token, await aWheelUpload())).toEqual({ status: 200, message: "OK" });
  });

  it.each([
    ["a NUL in the password", "wheelhouse-\0"],
    ["a password that is not a token", "hunter2 hunter2"],
    ["an empty password", ""],
  ])("refuses %s with 403, never a server error", async (_what, password) => {
    const result = await upload(password, Buffer.alloc(0));
    expect(result.status).toBe(403);
    expect(result.message).toMatch(/^Invalid or non-existent API token\./);
  });
});

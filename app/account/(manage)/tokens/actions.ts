"use server";
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/http/action";
import { createApiToken, DEFAULT_EXPIRY_DAYS, revokeApiToken } from "@/lib/api-tokens/tokens";
import { pypirc, twineUploadCommand } from "@/lib/snippets";
import { refusalMessage } from "@/lib/errors";

const EXPIRY = ["30", "90", "180", "365", "never"] as const;

export const createTokenAction = userAction(
  z.object({
    name: z
      .string()
      .trim()
      .min(1, "Name the token, e.g. after the machine or CI job that uses it.")
      .max(100, "Use at most 100 characters."),
    scope: z.enum(["all", "projects"], { error: "Choose the token's scope." }),
    projects: z.string().max(20_000).optional(),
    expiry: z.enum(EXPIRY, { error: "Choose when the token expires." }).default(String(DEFAULT_EXPIRY_DAYS) as "90"),
  }),
  async ({ name, scope, projects, expiry }, { session, info }) => {
    const projectIds = scope === "projects" ? (projects ?? "").split(",").filter(Boolean) : null;
    if (projectIds && !projectIds.length) return { fieldErrors: { projects: "Choose at least one project." } };
    const expiresAt = expiry === "never" ? null : new Date(Date.now() + Number(expiry) * 24 * 3600 * 1000);
    const result = await createApiToken(session, { name, projectIds, expiresAt }, info);
    if (!result.ok) return { error: "refused" in result ? refusalMessage(result.refused) : result.message };
    revalidatePath("/account/tokens");
    // How to use it, naming this index: twine's default repository is pypi.org.
    return {
      ok: true,
      data: { token: result.token, name, pypirc: pypirc(result.token), upload: twineUploadCommand() },
    };
  },
  { sudo: true },
);

export const revokeTokenAction = userAction(
  z.object({ token: z.uuid("Unknown token.") }),
  async ({ token }, { session, info }) => {
    if (!(await revokeApiToken(session.user, token, info))) return { error: "That token no longer exists." };
    revalidatePath("/account/tokens");
    return { ok: true, message: "The token was revoked." };
  },
);

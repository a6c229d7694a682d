"use server";
import { z } from "zod";
import { redirect } from "next/navigation";
import { publicAction } from "@/lib/http/action";
import { signIn } from "@/lib/accounts/auth";
import { signInErrorMessage } from "@/lib/accounts/sign-in-error";
import { safeNext } from "@/lib/accounts/rules";

const schema = z.object({
  code: z.string().trim().min(1, "Enter the code from your authenticator app, or a recovery code.").max(100, "That is not a code."),
  next: z.string().optional(),
});

/** The second step: the "second-factor" provider checks the pending session in the cookie. */
export const secondFactorAction = publicAction(schema, async ({ code, next }) => {
  try {
    await signIn("second-factor", { code, redirect: false });
  } catch (err) {
    const message = signInErrorMessage(err);
    if (message === null) throw err;
    return { error: message };
  }
  redirect(safeNext(next));
});

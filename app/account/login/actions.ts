"use server";
import { z } from "zod";
import { redirect } from "next/navigation";
import { publicAction } from "@/lib/http/action";
import { signIn } from "@/lib/accounts/auth";
import { signInErrorMessage } from "@/lib/accounts/sign-in-error";
import { readSession } from "@/lib/accounts/current";
import { safeNext } from "@/lib/accounts/rules";

const schema = z.object({
  login: z.string().trim().min(1, "Enter your username or email address.").max(254, "That is longer than any username or email address."),
  password: z.string().min(1, "Enter your password.").max(1024, "That is longer than any password here."),
  next: z.string().optional(),
});

export const signInAction = publicAction(schema, async ({ login, password, next }) => {
  try {
    await signIn("password", { login, password, redirect: false });
  } catch (err) {
    const message = signInErrorMessage(err);
    if (message === null) throw err;
    return { error: message };
  }
  const target = safeNext(next);
  // The cookie Auth.js just set is visible to this request: it says whether a second factor is due.
  const session = await readSession();
  redirect(session?.stage === "pending_2fa" ? `/account/two-factor?next=${encodeURIComponent(target)}` : target);
});

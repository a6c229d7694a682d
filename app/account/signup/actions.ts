"use server";
import { z } from "zod";
import { redirect } from "next/navigation";
import { publicAction } from "@/lib/http/action";
import { emailSchema, passwordInputSchema, usernameSchema } from "@/lib/accounts/rules";
import { signUp } from "@/lib/accounts/users";
import { signIn } from "@/lib/accounts/auth";
import { messageFor } from "@/lib/errors";

const schema = z
  .object({
    username: usernameSchema,
    email: emailSchema,
    password: passwordInputSchema,
    confirm: z.string().max(1024, "Use at most 1024 characters."),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords do not match." });

export const signUpAction = publicAction(schema, async (input, { info }) => {
  const created = await signUp(input, info);
  if (!created.ok) return created.code ? { error: messageFor(created.code, created.retryAt) } : { fieldErrors: created.fieldErrors };
  await signIn("password", { login: created.user.username, password: input.password, redirect: false });
  redirect("/account/settings?welcome=1");
});

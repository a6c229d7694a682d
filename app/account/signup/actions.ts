"use server";
import { redirect } from "next/navigation";
import { publicAction } from "@/lib/http/action";
import { emailSchema, usernameSchema, withNewPassword } from "@/lib/accounts/rules";
import { createUser, sendEmailVerification } from "@/lib/accounts/users";
import { signIn } from "@/lib/accounts/auth";
import { hitLimit, LIMITS } from "@/lib/security/rate-limit";
import { messageFor } from "@/lib/errors";

const schema = withNewPassword({ username: usernameSchema, email: emailSchema }, "password", "confirm");

export const signUpAction = publicAction(schema, async (input, { info }) => {
  const limited = await hitLimit(LIMITS.signupPerIp, info.ip ?? "unknown");
  if (limited.limited) return { error: messageFor("rate_limited", limited.retryAt) };
  const created = await createUser(input, info);
  if (!created.ok) return { fieldErrors: created.fieldErrors };
  await sendEmailVerification(created.user.id, created.user.email);
  await signIn("password", { login: created.user.username, password: input.password, redirect: false });
  redirect("/account/settings?welcome=1");
});

"use server";
import { redirect } from "next/navigation";
import { publicAction } from "@/lib/http/action";
import { emailSchema, usernameSchema, withNewPassword } from "@/lib/accounts/rules";
import { signUp } from "@/lib/accounts/users";
import { signInNewAccount } from "@/lib/accounts/auth";
import { messageFor } from "@/lib/errors";

const schema = withNewPassword({ username: usernameSchema, email: emailSchema }, "password", "confirm");

export const signUpAction = publicAction(schema, async (input, { info }) => {
  const created = await signUp(input, info);
  if (!created.ok)
    return created.code ? { error: messageFor(created.code, created.retryAt) } : { fieldErrors: created.fieldErrors };
  // signUp always signs in: the account's first session committed with it.
  await signInNewAccount(created.sessionToken!);
  redirect("/account/settings?welcome=1");
});

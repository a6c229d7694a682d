"use server";
// Sign-out: Auth.js ends the cookie and its event deletes the session row. It answers rather than
// redirects, so that the header switches to "Sign in" only once the session is gone; clearing the
// cookie makes Next re-render the page one is on, now for a visitor.
import { z } from "zod";
import { signOut } from "@/lib/accounts/auth";
import { publicAction } from "@/lib/http/action";

export const signOutAction = publicAction(z.object({}), async () => {
  await signOut({ redirect: false });
  return { ok: true };
});

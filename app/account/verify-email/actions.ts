"use server";
import { z } from "zod";
import { userAction } from "@/lib/http/action";
import { confirmEmailLink } from "@/lib/accounts/users";
import { messageFor } from "@/lib/errors";

/** The explicit confirmation that applies a verification or email-change link, by its owner only. */
export const confirmEmailAction = userAction(
  z.object({ token: z.string().max(100, "This link is not valid.") }),
  async ({ token }, { session, info }) => {
    const result = await confirmEmailLink(token, session.user.id, info);
    if (!result.ok) return { error: messageFor(result.code ?? "link_invalid") };
    return {
      ok: true,
      message: result.changed
        ? `Your email address is now ${result.email}.`
        : `Thank you: ${result.email} is verified.`,
    };
  },
);

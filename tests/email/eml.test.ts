// Without SMTP_URL, mail takes the same road as with a server: queued in the outbox, then written
// as an .eml file in the data directory by the first attempt, and the row marked sent.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { signUp } from "@/lib/accounts/users";
import { mailTo, requestInfo, STRONG_PASSWORD, uniqueIdentity, withTempDataDir } from "../unit/helpers";

const dataDir = withTempDataDir();

describe("mail without an SMTP server", () => {
  it("goes through the outbox to an .eml file, and the sent row keeps no body", async () => {
    const identity = uniqueIdentity("eml");
    const created = await signUp({ ...identity, password: STRONG_PASSWORD }, requestInfo());
    expect(created.ok).toBe(true);
    const mails = await mailTo(dataDir, identity.email);
    expect(mails.map((m) => m.subject)).toEqual(["Verify your email address for Wheelhouse"]);
    const rows = await db().mailOutbox.findMany({ where: { recipient: identity.email } });
    expect(rows).toEqual([
      expect.objectContaining({ subject: "Verify your email address for Wheelhouse", attempts: 1, body: null }),
    ]);
    expect(rows[0]!.sentAt).toBeInstanceOf(Date);
  });
});

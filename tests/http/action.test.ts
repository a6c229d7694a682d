// The server-action wrapper refuses form fields that PostgreSQL could not store, before any handler runs.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { publicAction } from "@/lib/http/action";

describe("publicAction", () => {
  it("refuses a field holding a NUL character without running the handler", async () => {
    let ran = false;
    const action = publicAction(z.object({ username: z.string(), email: z.string() }), async () => {
      ran = true;
      return { ok: true };
    });
    const form = new FormData();
    form.set("username", "ali\0ce");
    form.set("email", "alice@example.com");
    const state = await action({}, form);
    expect(ran).toBe(false);
    expect(state.fieldErrors).toEqual({ username: "Remove the NUL character (\\0) from this field." });
    // What the form shows again carries no NUL either.
    expect(state.values).toEqual({ username: "alice", email: "alice@example.com" });
  });

  it("shows the schema's own errors too, which win on the same field", async () => {
    const action = publicAction(z.object({ login: z.string().max(5, "Too long."), password: z.string() }), async () => ({ ok: true }));
    const form = new FormData();
    form.set("login", "far too long");
    form.set("password", "a\0b");
    expect((await action({}, form)).fieldErrors).toEqual({ login: "Too long.", password: "Remove the NUL character (\\0) from this field." });
    form.set("login", "lo\0ng and long");
    expect((await action({}, form)).fieldErrors).toMatchObject({ login: "Too long." });
  });
});

// The server-action wrapper refuses form fields that PostgreSQL could not store, before any handler runs.
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { publicAction } from "@/lib/http/action";
import { messageFor } from "@/lib/errors";

// The request a server action runs in: only its headers are read (for the client's address).
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "user-agent": "vitest" }),
  cookies: async () => ({ get: () => undefined }),
}));

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
    const action = publicAction(
      z.object({ login: z.string().max(5, "Too long."), password: z.string() }),
      async () => ({ ok: true }),
    );
    const form = new FormData();
    form.set("login", "far too long");
    form.set("password", "a\0b");
    expect((await action({}, form)).fieldErrors).toEqual({
      login: "Too long.",
      password: "Remove the NUL character (\\0) from this field.",
    });
    form.set("login", "lo\0ng and long");
    expect((await action({}, form)).fieldErrors).toMatchObject({ login: "Too long." });
  });
});

describe("what a form gets back", () => {
  it("never echoes a password, code or token field, but keeps the others for the form", async () => {
    const action = publicAction(
      z.object({
        login: z.string(),
        password: z.string(),
        code: z.string(),
        token: z.string(),
        newPassword: z.string(),
      }),
      async () => ({ ok: false, error: "Wrong." }),
    );
    const form = new FormData();
    for (const [k, v] of Object.entries({
      login: "alice",
      password: "hunter2 hunter2",
      code: "123456",
      token: "wheelhouse-abc",
      newPassword: "n3w pass",
    }))
      form.set(k, v);
    const state = await action({}, form);
    expect(state).toEqual({ ok: false, error: "Wrong.", values: { login: "alice" } });
  });

  it("turns a failure inside the handler into a plain message, with nothing of the error in it", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    let reached = false;
    const action = publicAction(z.object({ login: z.string() }), async () => {
      reached = true;
      throw new Error("relation secret_table at /srv/wheelhouse/lib/x.ts:12");
    });
    const form = new FormData();
    form.set("login", "alice");
    const state = await action({}, form);
    logged.mockRestore();
    expect(reached).toBe(true);
    expect(state).toEqual({ error: messageFor("server_error"), values: { login: "alice" } });
    expect(JSON.stringify(state)).not.toMatch(/secret_table|\.ts:/);
  });
});

describe("arguments that are not a form", () => {
  it("are refused with a message, not a crash, before any handler runs", async () => {
    let ran = false;
    const action = publicAction(z.object({}), async () => {
      ran = true;
      return { ok: true };
    });
    for (const args of [undefined, "username=alice", 5, { username: "alice" }, ["alice"]]) {
      expect(await action({}, args as unknown as FormData)).toEqual({ error: messageFor("malformed_request") });
    }
    expect(ran).toBe(false);
  });
});

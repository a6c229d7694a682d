import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  currentPasswordSchema,
  emailSchema,
  PASSWORD_MAX,
  passwordProblem,
  safeNext,
  usernameSchema,
  withNewPassword,
} from "@/lib/accounts/rules";
import { config } from "@/lib/config";

describe("usernameSchema", () => {
  it.each(["alice", "Alice99", "a", "7", "a.b_c-d", "x".repeat(50)])("accepts %j", (name) => {
    expect(usernameSchema.safeParse(name).success).toBe(true);
  });

  it("trims surrounding spaces", () => {
    expect(usernameSchema.parse("  bob  ")).toBe("bob");
  });

  it("rejects an empty username with a message asking for one", () => {
    const r = usernameSchema.safeParse("   ");
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe("Enter a username.");
  });

  it("rejects more than 50 characters", () => {
    const r = usernameSchema.safeParse("x".repeat(51));
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).join(" ")).toMatch(/at most 50/);
  });

  it.each(["bad name", "émile", "a/b", "a@b", "a+b", "名前", "a\u200bb"])(
    "rejects characters outside ASCII letters, digits, - _ . (%j)",
    (name) => {
      const r = usernameSchema.safeParse(name);
      expect(r.success).toBe(false);
      expect(r.error!.issues.map((i) => i.message).join(" ")).toMatch(/only ASCII letters, digits/);
    },
  );

  it.each(["-alice", "alice-", ".alice", "alice.", "_alice", "alice_", "-", "."])(
    "requires a letter or digit at both ends (%j)",
    (name) => {
      const r = usernameSchema.safeParse(name);
      expect(r.success).toBe(false);
      expect(r.error!.issues.map((i) => i.message).join(" ")).toMatch(/start and end with a letter or a digit/);
    },
  );
});

describe("emailSchema", () => {
  it("accepts an ordinary address and trims it", () => {
    expect(emailSchema.parse("  name@example.com ")).toBe("name@example.com");
  });

  it.each(["", "   "])("asks for an address when empty (%j)", (value) => {
    const r = emailSchema.safeParse(value);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe("Enter an email address.");
  });

  it.each(["name", "name@", "@example.com", "name@@example.com", "name example@example.com"])("rejects %j", (value) => {
    const r = emailSchema.safeParse(value);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/valid email address/);
  });

  it("accepts 254 characters and rejects 255", () => {
    const address = (tld: string) => `${"a".repeat(64)}@${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.${tld}`;
    expect(address("eeeeee")).toHaveLength(254);
    expect(emailSchema.safeParse(address("eeeeee")).success).toBe(true);
    const r = emailSchema.safeParse(address("eeeeeee"));
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).join(" ")).toMatch(/at most 254/);
  });
});

describe("passwordProblem", () => {
  it("accepts a long, uncommon passphrase", () => {
    expect(passwordProblem("correct horse battery staple 7!")).toBeNull();
    expect(passwordProblem("vX9#qL2!mT7w")).toBeNull();
  });

  it("requires at least 8 characters", () => {
    expect(passwordProblem("aB3$xY9")).toBe("Use at least 8 characters.");
  });

  it("allows at most 1024 characters", () => {
    // Unrepetitive text, so that only the length can be the problem.
    let long = "";
    for (let i = 0; long.length < 1025; i++) long += crypto.createHash("sha256").update(String(i)).digest("base64");
    long = long.slice(0, 1025);
    expect(passwordProblem(long)).toBe("Use at most 1024 characters.");
    expect(passwordProblem(long.slice(0, 1024))).toBeNull();
  });

  it.each(["password", "password1", "12345678", "qwertyuiop", "aaaaaaaaaa", "iloveyou1"])(
    "rejects the guessable %j with an explanation",
    (pw) => {
      const problem = passwordProblem(pw);
      expect(problem).not.toBeNull();
      expect(problem!.length).toBeGreaterThan(10);
    },
  );

  it("explains why and how to improve", () => {
    const problem = passwordProblem("password1")!;
    // A reason (zxcvbn's warning or our default) followed by advice.
    expect(problem).toMatch(/\. \S/);
  });

  it("treats the username as guessable", () => {
    const pw = "zanzibarquokka1";
    expect(passwordProblem(pw)).toBeNull();
    expect(passwordProblem(pw, ["zanzibarquokka", "z@example.com"])).not.toBeNull();
  });

  it("ignores empty context entries", () => {
    expect(passwordProblem("correct horse battery staple 7!", ["", ""])).toBeNull();
  });
});

describe("safeNext", () => {
  it.each([
    "/",
    "/account",
    "/account/settings?tab=2#x",
    "/simple/pkg/",
    "/x?next=//evil.example",
    "/%2F%2Fevil.example",
  ])("keeps the local path %j", (p) => {
    expect(safeNext(p)).toBe(p);
  });

  // Each of these is read by a browser (WHATWG URL) as another host, a script or nothing at all.
  it.each([
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example/x",
    "/\t\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\r/evil.example",
    "/\\/evil.example",
    "/\t\\evil.example",
    "/.//evil.example",
    "/./\\evil.example",
    "/..//evil.example",
    "/a/..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    " //evil.example",
    "\t//evil.example",
    "\u0000//evil.example",
    "http:/evil.example",
    "evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "",
    undefined,
    null,
    42,
    ["/account"],
  ])("replaces %j with /", (p) => {
    expect(safeNext(p)).toBe("/");
  });

  // Encoded forms stay encoded: a browser does not decode %09, %5C or %2F back into the host part.
  it.each([
    ["/%09/evil.example/x", "/%09/evil.example/x"],
    ["/%5C/evil.example", "/%5C/evil.example"],
    ["/%0d%0a/evil.example", "/%0d%0a/evil.example"],
    ["/\u2215\u2215evil.example", "/%E2%88%95%E2%88%95evil.example"],
    ["/\uFF0F/evil.example", "/%EF%BC%8F/evil.example"],
    ["/\u3000/evil.example", "/%E3%80%80/evil.example"],
    ["/a b", "/a%20b"],
  ])("keeps %j as the local path %j", (input, path) => {
    expect(safeNext(input)).toBe(path);
  });

  it("takes only paths, not absolute addresses (not even this site's own)", () => {
    expect(safeNext(`${config().baseUrl}/account/tokens`)).toBe("/");
  });

  it("never returns something a browser would resolve to another origin", () => {
    const base = new URL(config().baseUrl).origin;
    const inputs = ["/\t/h", "/.//h", "/%2e%2e//h", "/x/../../h", "/\\h", "/\u3002//h"];
    for (const input of inputs) expect(new URL(safeNext(input), base).origin).toBe(base);
  });

  it("refuses absurdly long paths", () => {
    expect(safeNext("/" + "a".repeat(600))).toBe("/");
  });
});

describe("the password schemas every form shares", () => {
  const signUp = withNewPassword({ username: usernameSchema }, "password", "confirm");

  it("accepts a new password typed twice alike, under the form's own field names", () => {
    expect(signUp.parse({ username: "alice", password: "a long passphrase", confirm: "a long passphrase" })).toEqual({
      username: "alice",
      password: "a long passphrase",
      confirm: "a long passphrase",
    });
  });

  it("refuses a confirmation that differs, at the confirmation field", () => {
    const r = signUp.safeParse({ username: "alice", password: "a long passphrase", confirm: "a long passphrasE" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["confirm", "The two passwords do not match."],
    ]);
  });

  it("caps both the new password and its confirmation, which argon2 would otherwise hash whole", () => {
    const huge = "x".repeat(PASSWORD_MAX + 1);
    const r = withNewPassword({}, "newPassword", "confirmPassword").safeParse({
      newPassword: huge,
      confirmPassword: huge,
    });
    expect(r.error?.issues.map((i) => i.path.join(".")).sort()).toEqual(["confirmPassword", "newPassword"]);
  });

  it("asks for the current password when it is missing, and refuses an absurd one", () => {
    expect(currentPasswordSchema.safeParse("").error?.issues[0]?.message).toBe("Enter your password.");
    expect(currentPasswordSchema.safeParse("x".repeat(PASSWORD_MAX + 1)).error?.issues[0]?.message).toBe(
      "That is longer than any password here.",
    );
    expect(currentPasswordSchema.parse(" spaces count ")).toBe(" spaces count ");
  });
});

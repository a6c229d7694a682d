// The request targets server/main.ts refuses before routing: what would reach PostgreSQL as NUL or
// invalid UTF-8, or make a route's decodeURIComponent throw.
import { describe, expect, it } from "vitest";
import { requestProblem, requestTargetProblem } from "@/lib/http/request-target";

describe("requestTargetProblem", () => {
  it.each([
    "/simple/a%00b/",
    "/project/%00",
    "/user/%00",
    "/packages/aa/bb/cc/x.whl%00",
    "/search?q=%00",
    "/search?q=a&page=%00",
    "/account/verify-email?token=abc%00",
  ])("refuses an escaped NUL byte: %s", (target) => {
    expect(requestTargetProblem(target)).toMatch(/NUL byte/);
  });

  it.each([
    "/project/%ff",
    "/pypi/%ff%fe/json",
    "/user/%C3",
    "/project/%C0%AF",
    "/search?q=%ff",
    "/search?q=%ED%A0%80",
  ])("refuses escapes that are not UTF-8: %s", (target) => {
    expect(requestTargetProblem(target)).toMatch(/do not decode to UTF-8/);
  });

  it.each(["/project/%%/%%", "/pypi/demo-pkg-1/%/json", "/pypi/;$)9@%/json", "/project/%zz", "/x%4"])(
    "refuses a '%' that starts no escape in the path: %s",
    (target) => {
      expect(requestTargetProblem(target)).toMatch(/does not start a %XX escape/);
    },
  );

  it.each([
    "/",
    "/simple/",
    "/simple/demo-pkg/",
    "/project/caf%C3%A9",
    "/search?q=flask%20login&page=2",
    // A '%' in a query string is a literal, as URLSearchParams reads it (someone typed `?q=100%`).
    "/search?q=100%",
    "/search?q=%25%20%E2%9C%93",
    "/packages/aa/bb/cc/demo_pkg-1.0-py3-none-any.whl",
  ])("accepts a well-formed target: %s", (target) => {
    expect(requestTargetProblem(target)).toBeNull();
  });

  it("keeps its messages to one line of plain ASCII", () => {
    for (const target of ["/a%00", "/a%ff", "/a%"]) expect(requestTargetProblem(target)).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe("requestProblem", () => {
  const tree = (state: unknown) => ({ "next-router-state-tree": encodeURIComponent(JSON.stringify(state)) });

  it("lets through requests without Next's router-state header, and a router state as Next's client sends it", () => {
    expect(requestProblem("/project/demo", {})).toBeNull();
    expect(
      requestProblem(
        "/project/demo",
        tree(["", { children: ["project", { children: ["__PAGE__", {}] }] }, null, null]),
      ),
    ).toBeNull();
  });

  it.each([
    ["[]"],
    ["%00"],
    ["not json"],
    ["%E0%A4%A"],
    [encodeURIComponent('["", "not an object"]')],
    ["[".repeat(50_000)],
  ])("refuses a router-state header Next cannot parse (%s), which Next would answer with a 500", (value) => {
    expect(requestProblem("/account/login", { "next-router-state-tree": value })).toMatch(
      /^Bad request: the Next-Router-State-Tree header/,
    );
  });

  it("reports a bad target before looking at headers", () => {
    expect(requestProblem("/project/%00", tree([]))).toMatch(/NUL/);
  });
});

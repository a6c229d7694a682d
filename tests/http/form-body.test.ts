// Multipart bodies that Next would answer with a 500 are refused before they reach it.
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { FORM_BODY_LIMIT, readFormBody } from "@/lib/http/form-body";

function request(
  contentType: string | undefined,
  body: Buffer | string,
  extra: Record<string, string> = {},
): IncomingMessage {
  const headers = { ...(contentType === undefined ? {} : { "content-type": contentType }), ...extra };
  return Object.assign(Readable.from([Buffer.from(body)]), { method: "POST", headers }) as unknown as IncomingMessage;
}

/** A fetch action's request: React's client names the action in this header. */
const action = (contentType: string | undefined, body: string) =>
  request(contentType, body, { "next-action": "7f0123456789abcdef0123456789abcdef01234567" });
const B = "----WebKitFormBoundaryq1w2e3r4";
const part = (name: string, value: string) =>
  `--${B}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const parts = (...ps: string[]) => ps.join("") + `--${B}--\r\n`;
const MALFORMED_ACTION = expect.objectContaining({
  ok: false,
  status: 400,
  message: expect.stringMatching(/^Malformed server action request/),
});

const FORM = '--b\r\nContent-Disposition: form-data; name="username"\r\n\r\nalice\r\n--b--\r\n';

describe("readFormBody", () => {
  it("passes a well-formed form through whole", async () => {
    expect(await readFormBody(request("multipart/form-data; boundary=b", FORM))).toEqual({
      ok: true,
      body: Buffer.from(FORM),
    });
  });

  it("leaves other requests alone, unread", async () => {
    expect(await readFormBody(request("application/x-www-form-urlencoded", "a=%00"))).toBeNull();
    expect(await readFormBody(request(undefined, "anything"))).toBeNull();
    // Only POSTs can be server actions.
    expect(await readFormBody(Object.assign(request("multipart/form-data", "x"), { method: "PUT" }))).toBeNull();
  });

  it.each([
    ["no boundary", "multipart/form-data", FORM],
    ["an empty boundary", "multipart/form-data; boundary=", FORM],
    ["another boundary", "multipart/form-data; boundary=c", FORM],
    ["random bytes", "multipart/form-data; boundary=b", "\x00\x01garbage"],
    ["a body cut short", "multipart/form-data; boundary=b", FORM.slice(0, 40)],
  ])("refuses %s with a 400", async (_what, type, body) => {
    expect(await readFormBody(request(type, body))).toEqual({
      ok: false,
      status: 400,
      message: "Malformed multipart/form-data body: it cannot be parsed with the boundary its Content-Type names.",
    });
  });

  it("refuses a body over Next's limit with a 413, without reading it all", async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    const endless = new Readable({
      read() {
        sent += chunk.length;
        this.push(sent > 64 * 1024 * 1024 ? null : chunk);
      },
    });
    const req = Object.assign(endless, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=b" },
    }) as unknown as IncomingMessage;
    expect(await readFormBody(req)).toMatchObject({ ok: false, status: 413 });
    expect(sent).toBeLessThan(FORM_BODY_LIMIT + 4 * chunk.length);
  });

  it("passes the server action requests React's client and forms send", async () => {
    // useActionState's (state, formData): the root row references the form, whose fields carry the prefix "1_".
    const fetched = parts(part("1_username", "alice"), part("0", '[{},"$K1"]'));
    expect(await readFormBody(action("multipart/form-data; boundary=" + B, fetched))).toEqual({
      ok: true,
      body: Buffer.from(fetched),
    });
    expect(await readFormBody(action("text/plain;charset=UTF-8", '["alice",2]'))).toMatchObject({ ok: true });
    // Without JavaScript: the bound action's rows under its "$ACTION_1:" prefix.
    const posted = parts(
      part("$ACTION_REF_1", ""),
      part("$ACTION_1:0", '{"id":"7f01","bound":"$@1"}'),
      part("$ACTION_1:1", "[{}]"),
      part("username", "alice"),
    );
    expect(await readFormBody(request("multipart/form-data; boundary=" + B, posted))).toEqual({
      ok: true,
      body: Buffer.from(posted),
    });
  });

  it.each([
    ["text/plain, not JSON", "text/plain;charset=UTF-8", "{not json"],
    ["text/plain JSON that is no list of arguments", "text/plain;charset=UTF-8", '{"a":1}'],
    ["url-encoded", "application/x-www-form-urlencoded", "username=alice"],
    ["url-encoded with a charset", "application/x-www-form-urlencoded; charset=utf-8", "username=alice"],
    ["no content type", undefined, "%%%"],
    ["an empty body", "text/plain", ""],
    ["multipart without the root row", "multipart/form-data; boundary=" + B, parts(part("1_username", "alice"))],
    ["multipart with a root row that is not JSON", "multipart/form-data; boundary=" + B, parts(part("0", "[{},"))],
    [
      "multipart with another row that is not JSON",
      "multipart/form-data; boundary=" + B,
      parts(part("0", '[{},"$1"]'), part("1", "{x")),
    ],
    [
      "a multipart type Next does not take for one (case)",
      "Multipart/form-data; boundary=" + B,
      parts(part("0", "[]")),
    ],
  ])("refuses a fetch action sent as %s with a 400", async (_what, type, body) => {
    expect(await readFormBody(action(type, body))).toEqual(MALFORMED_ACTION);
  });

  it("refuses a form posted without JavaScript whose bound action's rows are not JSON", async () => {
    const posted = parts(
      part("$ACTION_REF_1", ""),
      part("$ACTION_1:0", '{"id":"7f01","bound":'),
      part("username", "alice"),
    );
    expect(await readFormBody(request("multipart/form-data; boundary=" + B, posted))).toEqual(MALFORMED_ACTION);
  });
});

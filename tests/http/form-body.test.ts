// Multipart bodies that Next would answer with a 500 are refused before they reach it.
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { FORM_BODY_LIMIT, readFormBody } from "@/lib/http/form-body";

function request(contentType: string | undefined, body: Buffer | string): IncomingMessage {
  return Object.assign(Readable.from([Buffer.from(body)]), { method: "POST", headers: contentType === undefined ? {} : { "content-type": contentType } }) as unknown as IncomingMessage;
}

const FORM = '--b\r\nContent-Disposition: form-data; name="username"\r\n\r\nalice\r\n--b--\r\n';

describe("readFormBody", () => {
  it("passes a well-formed form through whole", async () => {
    expect(await readFormBody(request("multipart/form-data; boundary=b", FORM))).toEqual({ ok: true, body: Buffer.from(FORM) });
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
    const req = Object.assign(endless, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=b" } }) as unknown as IncomingMessage;
    expect(await readFormBody(req)).toMatchObject({ ok: false, status: 413 });
    expect(sent).toBeLessThan(FORM_BODY_LIMIT + 4 * chunk.length);
  });
});

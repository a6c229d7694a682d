// Multipart bodies bound for the Next app, read and checked by server/main.ts before Next sees them.
// Next parses every multipart POST to a page as a possible server action, and answers a body it
// cannot parse (no boundary, garbled, cut short) or one over its size limit with a 500, as if the
// failure were its own. Forms that browsers post are small: reading them whole here costs nothing a
// user would notice, and a malformed one gets a 400 that says why. The upload API (`/legacy/`)
// parses its own multipart bodies, streamed, and is not read here.
import type { IncomingMessage } from "node:http";

/** next.config.js's serverActions.bodySizeLimit: past it, Next refuses with a 500. */
export const FORM_BODY_LIMIT = 5 * 1024 * 1024;

export type FormBody = { ok: true; body: Buffer } | { ok: false; status: 400 | 413; message: string };

/** The body of a multipart POST, read whole and parsed as Next would; null for any other request. */
export async function readFormBody(req: IncomingMessage): Promise<FormBody | null> {
  const type = req.headers["content-type"] ?? "";
  // Only POSTs can be server actions; Next leaves other methods' bodies alone.
  if (req.method !== "POST" || !/^\s*multipart\//i.test(type)) return null;
  const body = await readUpTo(req, FORM_BODY_LIMIT);
  if (body === null) {
    return { ok: false, status: 413, message: `Request body too large: forms may send up to ${FORM_BODY_LIMIT / 1024 / 1024} MB.` };
  }
  try {
    // The parser Next itself uses for a form posted without JavaScript (undici's FormData).
    await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
  } catch {
    return { ok: false, status: 400, message: "Malformed multipart/form-data body: it cannot be parsed with the boundary its Content-Type names." };
  }
  return { ok: true, body };
}

/** The whole body, or null (reading stopped, the rest left unread) once it passes `limit` bytes. */
function readUpTo(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off("data", onData);
      req.pause();
      resolve(null);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

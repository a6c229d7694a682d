// Bodies bound for the Next app that it may take for a server action, read and checked by
// server/main.ts before Next sees them. Next parses every multipart POST to a page as a possible
// server action, and every POST with a `Next-Action` header as one; a body it cannot decode (no
// boundary, garbled, cut short, not the JSON rows of React's reply encoding) or one over its size
// limit gets a 500 from it, as if the failure were its own. Forms that browsers post are small:
// reading them whole here costs nothing a user would notice, and a malformed one gets a 400 that
// says why. The upload API (`/legacy/`) parses its own multipart bodies, streamed, and is not read here.
import type { IncomingMessage } from "node:http";

/** next.config.js's serverActions.bodySizeLimit: past it, Next refuses with a 500. */
export const FORM_BODY_LIMIT = 5 * 1024 * 1024;

export type FormBody = { ok: true; body: Buffer } | { ok: false; status: 400 | 413; message: string };

const MALFORMED_MULTIPART =
  "Malformed multipart/form-data body: it cannot be parsed with the boundary its Content-Type names.";
const MALFORMED_ACTION =
  "Malformed server action request: its arguments are not in the encoding the page's own forms send " +
  "(JSON rows, the first one an array of arguments).";

/**
 * The body of a POST that Next may take for a server action, read whole and checked as Next would
 * decode it; null for any other request.
 */
export async function readFormBody(req: IncomingMessage): Promise<FormBody | null> {
  const type = req.headers["content-type"] ?? "";
  // A fetch action (React's client) names its action in this header, whatever the body's type.
  const fetchAction = req.headers["next-action"] !== undefined;
  const multipart = /^\s*multipart\//i.test(type);
  // Only POSTs can be server actions; Next leaves other methods' bodies alone.
  if (req.method !== "POST" || !(multipart || fetchAction)) return null;
  const body = await readUpTo(req, FORM_BODY_LIMIT);
  if (body === null) {
    return {
      ok: false,
      status: 413,
      message: `Request body too large: forms may send up to ${FORM_BODY_LIMIT / 1024 / 1024} MB.`,
    };
  }
  const problem =
    fetchAction && !type.startsWith("multipart/form-data")
      ? textReplyProblem(body)
      : await multipartProblem(body, type, fetchAction);
  return problem ? { ok: false, status: 400, message: problem } : { ok: true, body };
}

async function multipartProblem(body: Buffer, type: string, fetchAction: boolean): Promise<string | null> {
  let form: FormData;
  try {
    // The parser Next itself uses for a form posted without JavaScript (undici's FormData).
    form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
  } catch {
    return MALFORMED_MULTIPART;
  }
  // React's reply rows: a fetch action's are the fields "0", "1", ...; a form posted without
  // JavaScript carries a bound action's under "$ACTION_<n>:0", ... Each string row is JSON.
  const row = fetchAction ? /^\d+$/ : /^\$ACTION_[^:]*:\d+$/;
  for (const [name, value] of form.entries()) {
    if (typeof value === "string" && row.test(name) && parsed(value) === undefined) return MALFORMED_ACTION;
  }
  if (fetchAction && !isArguments(form.get("0"))) return MALFORMED_ACTION;
  return null;
}

/** A fetch action whose arguments fit in one row sends them as the body itself (text/plain JSON). */
function textReplyProblem(body: Buffer): string | null {
  return isArguments(body.toString("utf8")) ? null : MALFORMED_ACTION;
}

/** The root row: the action's arguments, which Next spreads into the call. */
function isArguments(row: FormDataEntryValue | null): boolean {
  return typeof row === "string" && Array.isArray(parsed(row));
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
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

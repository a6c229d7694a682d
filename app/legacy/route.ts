// `POST /legacy/`: the upload endpoint twine talks to (same form and semantics as PyPI's).
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { handleUpload } from "@/lib/upload/upload";
import { reasonPhrase } from "@/lib/upload/errors";
import { requestInfoFrom } from "@/lib/http/request-info";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const body = request.body ? Readable.fromWeb(request.body as unknown as NodeReadableStream) : Readable.from([]);
  const result = await handleUpload(
    request.headers.get("authorization"),
    request.headers.get("content-type") ?? "",
    body,
    requestInfoFrom(request.headers),
  );
  const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8" };
  if (result.status === 401) headers["www-authenticate"] = 'Basic realm="Wheelhouse uploads"';
  return new Response(`${result.message}\n`, {
    status: result.status,
    statusText: reasonPhrase(result.message),
    headers,
  });
}

export function GET(): Response {
  return new Response("This is the upload endpoint: POST a distribution with twine.\n", {
    status: 405,
    headers: { allow: "POST", "content-type": "text/plain; charset=utf-8" },
  });
}

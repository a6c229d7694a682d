// File downloads, `/packages/<sha256 split 2/2/60>/<filename>`, and their PEP 658 metadata at
// `<that URL>.metadata`. The path embeds the content hash, so a response never changes: immutable.
import { Readable } from "node:stream";
import { findFileForDownload } from "@/lib/packaging/queries";
import { blobStore } from "@/lib/storage";

export const dynamic = "force-dynamic";

const notFound = () => new Response("Not Found\n", { status: 404, headers: { "content-type": "text/plain" } });

export async function GET(request: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const parts = (await params).path;
  if (parts.length !== 4) return notFound();
  const [a, b, rest, rawName] = parts as [string, string, string, string];
  const sha256 = `${a}${b}${rest}`;
  if (!/^[0-9a-f]{64}$/.test(sha256) || a.length !== 2 || b.length !== 2) return notFound();
  const requested = decodeURIComponent(rawName);
  const wantsMetadata = requested.endsWith(".metadata");
  const filename = wantsMetadata ? requested.slice(0, -".metadata".length) : requested;
  const file = await findFileForDownload(sha256, filename);
  const key = wantsMetadata ? file?.metadataSha256 : file?.sha256;
  if (!file || !key) return notFound();

  const etag = `"${key}"`;
  const headers: Record<string, string> = {
    etag,
    "cache-control": "public, max-age=31536000, immutable",
    "content-type": wantsMetadata ? "text/plain; charset=utf-8" : "application/octet-stream",
  };
  if (request.headers.get("if-none-match")?.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) {
    return new Response(null, { status: 304, headers });
  }
  const blob = await blobStore().open(key);
  if (!blob) {
    console.error(`wheelhouse: stored file missing for ${filename} (${key})`);
    return notFound();
  }
  headers["content-length"] = String(blob.size);
  if (!wantsMetadata) headers["content-disposition"] = `attachment; filename="${filename.replace(/"/g, "")}"`;
  return new Response(Readable.toWeb(blob.stream) as ReadableStream, { status: 200, headers });
}

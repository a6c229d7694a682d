// File downloads, `/packages/<sha256 split 2/2/60>/<filename>`, and their PEP 658 metadata at
// `<that URL>.metadata`, answered by server/main.ts before Next: Next's handlers drop
// Content-Length on streamed bodies, and downloads are the hottest, simplest path there is.
// The path embeds the content hash, so a response never changes: immutable caching, and small
// files' bytes kept in memory by hash. Whether the file still exists (it may have been deleted
// through any process) is asked of PostgreSQL on every request. With object storage in redirect
// mode the bytes come from the store instead, through a short-lived URL.
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { buffer } from "node:stream/consumers";
import { pipeline } from "node:stream/promises";
import { blobStore, type DownloadHeaders } from "@/lib/storage";
import { matchesIfNoneMatch } from "@/lib/index-api/simple";
import { downloadableFile } from "./freshness";
import { byteCache } from "./memory";

/** Files up to this size are served from memory after their first download. */
const MEMORY_MAX_BYTES = 8 * 1024 * 1024;
let bytes: ReturnType<typeof byteCache<Buffer>> | undefined;
const loading = new Map<string, Promise<Buffer>>();

const PATH = /^\/packages\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{60})\/([^/]+)$/;

function notFound(res: ServerResponse): void {
  res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not Found\n");
}

/** Serves the request if it is a download; returns false to let Next handle it. */
export async function serveDownload(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
  if (!pathname.startsWith("/packages/")) return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return true;
  }
  const match = PATH.exec(pathname);
  if (!match) return (notFound(res), true);
  const [, a, b, rest, rawName] = match as unknown as [string, string, string, string, string];
  let requested: string;
  try {
    requested = decodeURIComponent(rawName);
  } catch {
    return (notFound(res), true);
  }
  const wantsMetadata = requested.endsWith(".metadata");
  const filename = wantsMetadata ? requested.slice(0, -".metadata".length) : requested;
  const file = await downloadableFile(filename);
  const key = wantsMetadata ? file?.metadataSha256 : file?.sha256;
  if (!file || !key || file.sha256 !== `${a}${b}${rest}`) return (notFound(res), true);

  const etag = `"${key}"`;
  const served: DownloadHeaders = {
    contentType: wantsMetadata ? "text/plain; charset=utf-8" : "application/octet-stream",
    contentDisposition: wantsMetadata ? undefined : `attachment; filename="${filename.replace(/["\\]/g, "")}"`,
  };
  const headers: Record<string, string | number> = {
    etag,
    "cache-control": "public, max-age=31536000, immutable",
    "content-type": served.contentType,
  };
  if (served.contentDisposition) headers["content-disposition"] = served.contentDisposition;
  if (matchesIfNoneMatch(req.headers["if-none-match"], etag)) {
    res.writeHead(304, headers).end();
    return true;
  }
  const store = blobStore();
  const redirect = await store.downloadUrl?.(key, served);
  if (redirect) {
    // The presigned URL stops working after expiresIn: unlike the bytes, this answer may be reused
    // only briefly, and by this client alone (the URL is a credential, however short-lived).
    res
      .writeHead(302, {
        location: redirect.url,
        "cache-control": `private, max-age=${Math.floor(redirect.expiresIn / 5)}`,
      })
      .end();
    return true;
  }
  bytes ??= byteCache<Buffer>(0.35, (b) => b.length);
  let body = bytes.get(key) ?? (await loading.get(key));
  if (!body) {
    const blob = await store.open(key);
    if (!blob) {
      console.error(`wheelhouse: stored file missing for ${filename} (${key})`);
      return (notFound(res), true);
    }
    if (blob.size <= MEMORY_MAX_BYTES && req.method === "GET") {
      // Requests for a file not in memory yet wait for one read of it: 64 of them at once would
      // otherwise each read their own copy, up to 8 MB apiece, outside the cache's budget.
      const load = buffer(blob.stream).then((read) => (bytes!.set(key, read), read));
      loading.set(key, load);
      try {
        body = await load;
      } finally {
        loading.delete(key);
      }
    } else {
      headers["content-length"] = blob.size;
      res.writeHead(200, headers);
      if (req.method === "HEAD") {
        blob.stream.destroy();
        res.end();
        return true;
      }
      await pipeline(blob.stream, res).catch(() => {
        // The client went away mid-download; nothing to clean up but the stream, which pipeline closed.
      });
      return true;
    }
  }
  headers["content-length"] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}

"use client";
// The 404 of /project/<name>/<version>: a not-found page receives no params, so the names come from the URL.
import Link from "next/link";
import { useParams } from "next/navigation";

function segment(value: string | string[] | undefined): string {
  const raw = Array.isArray(value) ? value.join("/") : (value ?? "");
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export function MissingRelease() {
  const params = useParams<{ name: string; version: string }>();
  const name = segment(params.name);
  const version = segment(params.version);
  return (
    <div className="narrow" data-testid="release-not-found">
      <h1>Version not found</h1>
      <p>
        There is no version <code>{version}</code> of <strong>{name}</strong> on this index. It may never have been
        published here, or it may have been deleted.
      </p>
      <p>
        <Link href={`/project/${encodeURIComponent(name)}#history`}>See the versions of {name}</Link> or go to the{" "}
        <Link href="/">home page</Link>.
      </p>
    </div>
  );
}

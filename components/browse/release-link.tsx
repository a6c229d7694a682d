// A link to one release's page, /project/<name>/<version>; `+` (local versions) and `!` (epochs) stay readable.
import Link from "next/link";
import type { ReactNode } from "react";

export function ReleaseLink({
  project,
  version,
  children,
  current,
}: {
  project: string;
  version: string;
  children?: ReactNode;
  current?: boolean;
}) {
  const segment = encodeURIComponent(version).replace(/%2B/gi, "+");
  return (
    <Link href={`/project/${project}/${segment}`} aria-current={current ? "page" : undefined}>
      {children ?? version}
    </Link>
  );
}

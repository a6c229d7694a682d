// Warnings above a release: it was yanked, or a newer release exists.
import Link from "next/link";
import type { ReleaseDetail } from "@/lib/index-api/types";
import { ReleaseLink } from "./release-link";

export function ReleaseNotice({
  project,
  release,
  latest,
}: {
  project: string;
  release: ReleaseDetail;
  latest: ReleaseDetail | null;
}) {
  const outdated = latest !== null && latest.version !== release.version;
  return (
    <>
      {release.yanked && (
        <div className="banner banner-error" role="note" data-testid="yanked-notice">
          <strong>This release has been yanked.</strong> pip will not install it unless it is pinned with{" "}
          <code>==</code>.{release.yankedReason ? <> Reason: {release.yankedReason}</> : " No reason was given."}
        </div>
      )}
      {outdated && (
        <div className="banner banner-warn" role="note" data-testid="not-latest-notice">
          This is not the latest version of this project. The latest is{" "}
          <ReleaseLink project={project} version={latest.version} />; see the{" "}
          <Link href={`/project/${project}`}>project page</Link>.
        </div>
      )}
    </>
  );
}

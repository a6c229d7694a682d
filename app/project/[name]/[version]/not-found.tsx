import type { Metadata } from "next";
import { MissingRelease } from "@/components/browse/missing-release";

export const metadata: Metadata = { title: "Version not found" };

export default function ReleaseNotFound() {
  return <MissingRelease />;
}

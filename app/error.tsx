"use client";
// Shown when a page fails inside the site's layout: a plain apology and a way on, never a stack trace.
import { ServerErrorMessage } from "@/components/ui/server-error";

export default function ErrorPage({ reset, error }: { reset: () => void; error: Error & { digest?: string } }) {
  return <ServerErrorMessage digest={error.digest} reset={reset} />;
}

"use client";
// A button that copies `text`, and says whether it worked. The asynchronous clipboard API exists
// only in secure contexts (https, localhost): a Wheelhouse served over plain http on a network
// falls back to copying a selection, which browsers allow on any page after a click.
import { useEffect, useRef, useState } from "react";

type Outcome = "idle" | "copied" | "failed";

async function copyText(text: string): Promise<boolean> {
  if (window.isSecureContext && navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Refused (a permission policy, say): the selection route may still work.
    }
  }
  const before = document.activeElement;
  const area = document.createElement("textarea");
  area.value = text;
  area.readOnly = true;
  // Out of sight but selectable; styled through the CSSOM, which the Content-Security-Policy allows.
  area.style.position = "fixed";
  area.style.left = "-9999px";
  document.body.append(area);
  area.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    area.remove();
    if (before instanceof HTMLElement) before.focus();
  }
}

/** `what` names the text for assistive technology when a page has several copy buttons ("Copy pip.conf"). */
export function CopyButton({ text, label = "Copy", what }: { text: string; label?: string; what?: string }) {
  const [outcome, setOutcome] = useState<Outcome>("idle");
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <>
      <button
        type="button"
        className="button button-secondary"
        onClick={async () => {
          clearTimeout(timer.current);
          const copied = await copyText(text);
          setOutcome(copied ? "copied" : "failed");
          // "Copied" reverts to the label; a failure stays until the next try, so it can be read.
          if (copied) timer.current = setTimeout(() => setOutcome("idle"), 2000);
        }}
      >
        {outcome === "copied" ? "Copied" : label}
        {what && <span className="visually-hidden"> {what}</span>}
      </button>
      <span role="status" className={outcome === "failed" ? "copy-status error" : "copy-status visually-hidden"}>
        {outcome === "copied"
          ? "Copied to the clipboard."
          : outcome === "failed"
            ? "Could not copy: select the text and copy it with Ctrl+C (⌘C on a Mac)."
            : ""}
      </span>
    </>
  );
}

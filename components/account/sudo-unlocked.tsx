"use client";
// What sudo mode unlocks. Right after the confirmation (and only then) it takes the focus and
// announces itself, so keyboard and screen reader users land on what they came to change.
import { useEffect, useRef, useState, type ReactNode } from "react";

export const JUST_CONFIRMED_KEY = "wheelhouse:sudo-confirmed";

export function SudoUnlocked({ children }: { children: ReactNode }) {
  const region = useRef<HTMLDivElement>(null);
  const [announce, setAnnounce] = useState(false);
  useEffect(() => {
    if (sessionStorage.getItem(JUST_CONFIRMED_KEY) === null) return;
    sessionStorage.removeItem(JUST_CONFIRMED_KEY);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- sessionStorage is browser-only: read after hydration
    setAnnounce(true);
    region.current?.focus();
  }, []);
  return (
    <div ref={region} tabIndex={-1} className="stack" aria-label="Sensitive changes">
      <div role="status">
        {announce && (
          <p className="banner banner-ok">Confirmed. You can make sensitive changes for the next 15 minutes.</p>
        )}
      </div>
      {children}
    </div>
  );
}

"use client";
// The page's one place for what the last action achieved. A form whose row vanishes with its success
// (a revoked token, a deleted release) cannot show the result itself, so every success is announced
// here, in a status bar that stays until the next action or page; and any form's older error is
// hidden from then on, so a stale error never sits next to a success.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { usePathname } from "next/navigation";

interface Outcome {
  /** Order of the action results this page has seen. */
  seq: number;
  message: string | null;
  /** The page it happened on: another page starts with no announcement. */
  path: string;
}

interface OutcomeContext {
  latestSuccess: Outcome;
  /** A form's new result; returns its sequence number. */
  report(ok: boolean, message: string | undefined): number;
}

const Context = createContext<OutcomeContext | null>(null);

export function ActionOutcomeProvider({ children }: { children: ReactNode }) {
  const counter = useRef(0);
  const pathname = usePathname();
  const [latestSuccess, setLatest] = useState<Outcome>({ seq: 0, message: null, path: pathname });
  const report = useCallback(
    (ok: boolean, message: string | undefined) => {
      const seq = ++counter.current;
      if (ok) setLatest({ seq, message: message ?? "Done.", path: pathname });
      return seq;
    },
    [pathname],
  );
  const shown = latestSuccess.path === pathname ? latestSuccess.message : null;
  const value = useMemo(() => ({ latestSuccess, report }), [latestSuccess, report]);
  return (
    <Context.Provider value={value}>
      {children}
      <div className="outcome-bar" role="status" aria-live="polite" data-testid="action-outcome">
        {shown && (
          <p className="banner banner-ok">
            <span>{shown}</span>
            <button type="button" className="link-button" onClick={() => setLatest((o) => ({ ...o, message: null }))}>
              Dismiss
            </button>
          </p>
        )}
      </div>
    </Context.Provider>
  );
}

/**
 * For a form using useActionState: reports each new state once and says whether its error is still
 * current (no other action has succeeded since).
 */
export function useActionOutcome(state: { ok?: boolean; error?: string; message?: string; fieldErrors?: unknown }): { errorIsCurrent: boolean } {
  const ctx = useContext(Context);
  const [seq, setSeq] = useState(0);
  const seen = useRef(state);
  useEffect(() => {
    if (!ctx || seen.current === state) return;
    seen.current = state;
    setSeq(ctx.report(!!state.ok, state.message));
  }, [ctx, state]);
  return { errorIsCurrent: !ctx || seq >= ctx.latestSuccess.seq };
}

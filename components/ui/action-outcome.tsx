"use client";
// The page's one place for what the last action achieved. A form whose row vanishes with its success
// (a revoked token, a deleted release) cannot show the result itself, so every success is announced
// here, in a status bar that stays until the next action or page; and any form's older error is
// hidden from then on, so a stale error never sits next to a success.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
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

type Outcomes = { ok?: boolean; message?: string; outcomeSeq?: number };

/**
 * Wraps a form's server action so that its result is reported here as soon as it arrives, even when
 * the form itself is gone with the same refresh (a revoked token's row); the result carries its
 * place in the order of this page's results.
 */
export function useReportingAction<S extends Outcomes>(
  action: (state: S, formData: FormData) => Promise<S>,
): (state: S, formData: FormData) => Promise<S> {
  const ctx = useContext(Context);
  return useCallback(
    async (state: S, formData: FormData) => {
      const next = await action(state, formData);
      return { ...next, outcomeSeq: ctx ? ctx.report(!!next.ok, next.message) : 0 };
    },
    [action, ctx],
  );
}

/** Whether a form's error is still news: no other action on this page has succeeded since. */
export function useErrorIsCurrent(state: Outcomes): boolean {
  const ctx = useContext(Context);
  return !ctx || (state.outcomeSeq ?? 0) >= ctx.latestSuccess.seq;
}

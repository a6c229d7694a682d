"use client";
// Runs a security-key ceremony outside React transitions. A browser prompt can stay open for
// minutes (or forever, when no key is near); inside a transition it would hold back every other
// transition on the page, such as the navigation after signing in with a code instead.
import { useCallback, useRef, useState } from "react";
import type { ActionState } from "@/lib/http/action";

export function useKeyCeremony(
  run: () => Promise<ActionState>,
): [state: ActionState, start: () => void, busy: boolean] {
  const [state, setState] = useState<ActionState>({});
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const start = useCallback(() => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setState({});
    run()
      .then(setState, () =>
        setState({ error: "Something went wrong on our side. Nothing was changed; please try again." }),
      )
      .finally(() => {
        running.current = false;
        setBusy(false);
      });
  }, [run]);
  return [state, start, busy];
}

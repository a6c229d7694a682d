"use client";
// Who is signed in, as the browser learns it from /_includes/current-user after the page arrives:
// pages are the same bytes for every visitor (so the server keeps one copy for everyone), and the
// few personal parts (the header's account links, "Manage project") fill in from here. Asked again
// on every navigation, so signing in or out (both navigate) shows at once.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { usePathname } from "next/navigation";

export const CURRENT_USER_URL = "/_includes/current-user";

/** What CURRENT_USER_URL answers (server/fast/current-user.ts). */
export interface CurrentUser {
  /** Null for a visitor without a fully signed-in session. */
  username: string | null;
}

/** undefined while unknown (no answer yet, or no JavaScript: the page's defaults stay). */
type State = { user: CurrentUser | undefined; forget: () => void };

const Context = createContext<State>({ user: undefined, forget: () => {} });

export function CurrentUserProvider({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const [user, setUser] = useState<CurrentUser | undefined>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    fetch(CURRENT_USER_URL, { cache: "no-store", signal: controller.signal })
      .then((res) => (res.ok ? (res.json() as Promise<CurrentUser>) : undefined))
      .then((answer) => answer && setUser(answer))
      .catch(() => {}); // offline or aborted: the page keeps what it shows
    return () => controller.abort();
  }, [pathname]);
  // Signing out does not navigate: the header forgets the user once the sign-out action has answered.
  const forget = useCallback(() => setUser({ username: null }), []);
  return <Context.Provider value={{ user, forget }}>{children}</Context.Provider>;
}

export function useCurrentUser(): State {
  return useContext(Context);
}

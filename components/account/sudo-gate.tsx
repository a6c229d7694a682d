// Shows its children only in sudo mode; otherwise the confirmation form that enters it.
import type { ReactNode } from "react";
import { currentSession, inSudoMode } from "@/lib/accounts/current";
import { SudoForm } from "./sudo-form";

export async function SudoGate({ children, what }: { children: ReactNode; what: string }) {
  const session = await currentSession();
  if (!session) return null;
  if (inSudoMode(session)) return <>{children}</>;
  return (
    <section className="card" aria-label="Confirm it is you">
      <SudoForm what={what} twoFactor={session.user.twoFactorEnabled} />
    </section>
  );
}

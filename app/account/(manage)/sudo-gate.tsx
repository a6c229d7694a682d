// Shows its children only in sudo mode; otherwise the confirmation form that enters it.
import type { ReactNode } from "react";
import { currentSession, inSudoMode } from "@/lib/accounts/current";
import { factorsOf } from "@/lib/accounts/factors";
import { securityKeysUnavailable } from "@/lib/accounts/security-keys";
import { SudoForm } from "./sudo-form";
import { SudoUnlocked } from "../../../components/account/sudo-unlocked";

export async function SudoGate({ children, what }: { children: ReactNode; what: string }) {
  const session = await currentSession();
  if (!session) return null;
  if (inSudoMode(session)) return <SudoUnlocked>{children}</SudoUnlocked>;
  const { keys } = await factorsOf(session.user.id);
  return (
    <section className="card" aria-label="Confirm it is you">
      <SudoForm
        what={what}
        twoFactor={session.user.twoFactorEnabled}
        keys={keys > 0}
        unavailable={securityKeysUnavailable()}
      />
    </section>
  );
}

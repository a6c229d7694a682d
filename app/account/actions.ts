"use server";
// Sign-out: Auth.js ends the cookie and its event deletes the session row.
import { signOut } from "@/lib/accounts/auth";

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}

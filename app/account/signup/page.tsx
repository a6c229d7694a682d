import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentSession } from "@/lib/accounts/current";
import { SignUpForm } from "./signup-form";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await currentSession()) redirect("/account/settings");
  return (
    <div className="narrow">
      <h1>Create an account</h1>
      <div className="card">
        <SignUpForm />
      </div>
      <p className="muted">
        Already have an account? <Link href="/account/login">Sign in</Link>.
      </p>
    </div>
  );
}

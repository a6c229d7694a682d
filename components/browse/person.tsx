// An author or maintainer as core metadata gives them: a name, an email field ("Jane <jane@example.org>"), or both.
const ADDRESS = /[^\s<>,;"]+@[^\s<>,;"]+/;

export function Person({ name, email }: { name: string | null; email: string | null }) {
  const address = email ? (ADDRESS.exec(email)?.[0] ?? null) : null;
  // With no name field, the email field's display name ("Jane <jane@…>") is the best label there is.
  const fromEmail =
    email
      ?.replace(/<[^>]*>/g, "")
      .replace(/["']/g, "")
      .split(",")[0]
      ?.trim() || null;
  const label = name?.trim() || fromEmail || address || email;
  if (!label) return null;
  return address ? <a href={`mailto:${address}`}>{label}</a> : <>{label}</>;
}

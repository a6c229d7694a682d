// A project role ("owner", "maintainer") as a capitalised pill.
export function RolePill({ role }: { role: string }) {
  const label = role ? role[0]!.toUpperCase() + role.slice(1) : "Member";
  return <span className={`pill${role === "owner" ? " pill-ok" : ""}`}>{label}</span>;
}

// A timestamp people can read, with the exact UTC instant in the markup for machines and tooltips.
export function LocalTime({ date }: { date: Date }) {
  const iso = date.toISOString();
  return (
    <time dateTime={iso} title={iso}>
      {iso.slice(0, 16).replace("T", " ")} UTC
    </time>
  );
}

// A calendar date as pypi.org prints release dates ("Nov 25, 2026"), with the exact instant in the markup.
const FORMAT = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });

export function ReleaseDate({ date }: { date: Date }) {
  const iso = date.toISOString();
  return (
    <time dateTime={iso} title={`${iso.slice(0, 16).replace("T", " ")} UTC`}>
      {FORMAT.format(date)}
    </time>
  );
}

"use client";
// The one way Wheelhouse shows a moment: "Nov 30, 2026, 10:15 PM GMT+1" in the reader's own time zone,
// with the exact UTC time on hover. The server knows no reader's zone, so the page arrives in UTC
// (readable without JavaScript) and the browser re-renders it in local time after hydration.
import { useSyncExternalStore } from "react";

const OPTIONS: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };
const formats = new Map<string, [Intl.DateTimeFormat, Intl.DateTimeFormat]>();

function format(date: Date, timeZone: string | undefined): string {
  const key = timeZone ?? "";
  let pair = formats.get(key);
  if (!pair) {
    // dateStyle cannot be combined with timeZoneName, so the zone's name comes from a second format.
    pair = [
      new Intl.DateTimeFormat("en-US", { ...OPTIONS, timeZone }),
      new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" }),
    ];
    formats.set(key, pair);
  }
  const zone = pair[1].formatToParts(date).find((p) => p.type === "timeZoneName")?.value ?? "UTC";
  return `${pair[0].format(date)} ${zone}`;
}

const noSubscription = () => () => {};

export function LocalTime({ date }: { date: Date | string }) {
  const d = typeof date === "string" ? new Date(date) : date;
  const iso = d.toISOString();
  const local = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  return (
    <time dateTime={iso} title={`${iso.slice(0, 19).replace("T", " ")} UTC`} suppressHydrationWarning>
      {format(d, local ? undefined : "UTC")}
    </time>
  );
}

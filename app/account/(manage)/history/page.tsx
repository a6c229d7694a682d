import type { Metadata } from "next";
import { requireSession } from "@/lib/accounts/current";
import { listEvents } from "@/lib/accounts/events";
import { describeUserAgent } from "@/lib/http/user-agent";
import { requestedPage } from "@/lib/events/history";
import { LocalTime } from "@/components/ui/local-time";
import { HistoryPagination } from "@/components/ui/history-pagination";

export const metadata: Metadata = { title: "Security history" };

export default async function HistoryPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requireSession("/account/history");
  const page = requestedPage((await searchParams).page);
  const { events, hasMore } = await listEvents(session.user.id, page);
  return (
    <>
      <h1>Security history</h1>
      <p className="muted">Every security-relevant event on your account, newest first.</p>
      <div className="card">
        <table data-testid="security-history" className="stack-rows">
          <thead>
            <tr>
              <th>Event</th>
              <th>Details</th>
              <th>When</th>
              <th>IP address</th>
              <th>Browser</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} data-tag={e.tag}>
                <td data-label="Event">{e.label}</td>
                <td data-label="Details" className="muted small" data-testid="event-summary">
                  {e.summary ?? "—"}
                </td>
                <td data-label="When">
                  <LocalTime date={e.at} />
                </td>
                <td data-label="IP address">{e.ip ?? "—"}</td>
                <td data-label="Browser">{describeUserAgent(e.userAgent)}</td>
              </tr>
            ))}
            {events.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No events on this page.
                </td>
              </tr>
            )}
          </tbody>
        </table>
        <HistoryPagination path="/account/history" page={page} hasMore={hasMore} />
      </div>
    </>
  );
}

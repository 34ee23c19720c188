// Times for people: local time with its offset, and UTC beside it, so a time read off the screen
// matches both the user's clock and Google's logs.
import { type Timestamp, timestampMs } from "@bufbuild/protobuf/wkt";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * Clock time of day (local, 24 hours), for "updated 14:02:07": what `toLocaleTimeString("en-GB",
 * { hour12: false })` shows, from the Date's own fields. The first Intl.DateTimeFormat of a process
 * loads ICU's locale and calendar data, tens of milliseconds before the first frame can show it.
 */
export function timeOfDay(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "2025-01-01 13:00:00 (UTC+01:00)" in the process's time zone. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ` +
    `(UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`
  );
}

/** Local time, then the UTC instant as RFC 3339: "2025-01-01 13:00:00 (UTC+01:00) · 2025-01-01T12:00:00.000Z". */
export function localAndUtc(ts: Timestamp): string {
  const ms = timestampMs(ts);
  return `${localTime(ms)} · ${new Date(ms).toISOString()}`;
}

// RFC 3339 timestamps in filters, read into the same milliseconds-with-fraction the field getters give.

const rfc3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch (with sub-millisecond fraction), or `undefined` if `text` is not RFC 3339. */
export function parseRfc3339(text: string): number | undefined {
  const match = rfc3339.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction = "", zone, sign, offsetHours, offsetMinutes] =
    match;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  let ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC maps years 0–99 to 1900–1999; set the year explicitly.
  if (y < 100) ms = new Date(ms).setUTCFullYear(y);
  if (zone !== "Z" && zone !== "z") {
    const offset = (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
    if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
    ms -= sign === "+" ? offset : -offset;
  }
  return ms + Number(fraction.padEnd(9, "0")) / 1e6;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(2000, month, 0)).getUTCDate() === 29 && month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : new Date(Date.UTC(2001, month, 0)).getUTCDate();
}

/**
 * `asOf` of the history API: an RFC 3339 date-time with its offset (`2019-07-01T00:00:00Z`,
 * `2019-07-01T02:00:00.5+02:00`). The instant Focus recorded changes at, not the date a figure
 * describes (that is its source's asOf). One parser for the gateway and the aggregator, so the
 * two never disagree on what is malformed.
 */
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

export type AsOfParse = { ok: true; instant: Date } | { ok: false; message: string };

export function parseAsOf(raw: string, now: Date = new Date()): AsOfParse {
  const match = RFC_3339.exec(raw);
  // Date.parse rolls 2019-02-30 over into March; a date must name a real day.
  const instant = match ? new Date(raw.toUpperCase()) : undefined;
  const [year = 0, month = 0, day = 0, hour = 99, minute = 99, second = 99] = (match ?? []).slice(1, 7).map(Number);
  const real = match !== null && isRealDay(year, month, day) && hour <= 23 && minute <= 59 && second <= 59;
  if (!real || !instant || Number.isNaN(instant.getTime())) {
    return { ok: false, message: 'must be an RFC 3339 date-time with an offset, e.g. 2019-07-01T00:00:00Z' };
  }
  if (instant.getTime() > now.getTime()) return { ok: false, message: 'must not be in the future' };
  return { ok: true, instant };
}

function isRealDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

import { badRequest } from './problem';

/** The entity version is the ETag: equal on every replica, changed by every write. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** `If-Match` as the version it demands; `*` means "must exist"; absent means no condition. */
export function parseIfMatch(header: string | string[] | undefined): number | '*' | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header[0] : header).trim();
  if (value === '*') return '*';
  const match = /^(?:W\/)?"(\d{1,15})"$/.exec(value);
  if (!match)
    throw badRequest(`If-Match must be an ETag this API issued, such as "3"; got ${JSON.stringify(value.slice(0, 40))}.`, [
      { field: 'If-Match', message: 'not an ETag' },
    ]);
  return Number(match[1]);
}

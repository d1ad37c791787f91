import { validationProblem } from '@focus/service-kit';

/** Where a page ended: the last item's (date, id) in the listing's order. */
export interface ListPosition {
  date: string;
  id: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque to clients: base64url of the JSON pair. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.date, position.id]), 'utf8').toString('base64url');
}

/** A cursor this API did not issue is a 422 naming `cursor`, never a query on its contents. */
export function decodeCursor(cursor: string): ListPosition {
  let pair: unknown;
  try {
    pair = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    pair = undefined;
  }
  if (
    Array.isArray(pair) &&
    pair.length === 2 &&
    typeof pair[0] === 'string' &&
    DATE.test(pair[0]) &&
    typeof pair[1] === 'string' &&
    UUID.test(pair[1])
  ) {
    return { date: pair[0], id: pair[1] };
  }
  throw validationProblem([{ field: 'cursor', message: 'is not a cursor this API issued' }]);
}

export function isContributionId(value: string): boolean {
  return UUID.test(value);
}

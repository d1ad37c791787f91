import { validationProblem } from '@focus/service-kit';

/** Opaque to clients: base64url of `[version]`, the last revision of the page before. */
export function encodeHistoryCursor(version: number): string {
  return Buffer.from(JSON.stringify([version]), 'utf8').toString('base64url');
}

/** A cursor this API did not issue is a 422 naming `cursor`, as the contributions list answers. */
export function decodeHistoryCursor(cursor: string): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (Array.isArray(decoded) && decoded.length === 1 && Number.isSafeInteger(decoded[0]) && decoded[0] > 0) return decoded[0];
  throw validationProblem([{ field: 'cursor', message: 'is not a cursor this API issued' }]);
}

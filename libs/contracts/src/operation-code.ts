/**
 * A country operation uses its ISO 3166 alpha-3 code (`KAZ`); an office covering several
 * countries has a code of its own, so imported country statistics never overwrite it.
 */
export const OPERATION_CODE_PATTERN = /^[A-Z][A-Z0-9-]{1,15}$/;

/**
 * The subject operation code (and so the Kafka key) of a contribution that is not earmarked
 * for any operation. Every event needs a key for ordering, and this one can't collide with a
 * real operation because contributions refuse it as an operation code.
 */
export const UNEARMARKED_OPERATION_CODE = 'UNEARMARKED';

export function isOperationCode(value: unknown): value is string {
  return typeof value === 'string' && OPERATION_CODE_PATTERN.test(value);
}

import { ValidateIf } from 'class-validator';
import { isCountryCode } from '../domain/countries';
import { isCents, YEAR_MAX, YEAR_MIN } from '../domain/limits';
import { isUsd, USD_MAX } from '../domain/money';
import { isOperationCode, OPERATION_CODE_PATTERN } from '../operation-code';
import { defineRule } from './define-rule';
import { isObjectNotArray } from './is-object';

// `Number.isSafeInteger` rather than class-validator's IsInt: a JSON integer beyond 2^53 has
// already lost its exact value by the time it is parsed.
function isWholeNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

export const IsWholeNumber = defineRule('isWholeNumber', {
  test: (value, min: number, max: number = Number.MAX_SAFE_INTEGER) => isWholeNumberIn(value, min, max),
  message: (min, max = Number.MAX_SAFE_INTEGER) =>
    max === Number.MAX_SAFE_INTEGER ? `must be an integer >= ${min}` : `must be an integer from ${min} to ${max}`,
  schema: (min, max = Number.MAX_SAFE_INTEGER) => ({ type: 'integer', minimum: min, maximum: max }),
});

export const IsYear = defineRule('isYear', {
  test: (value) => isWholeNumberIn(value, YEAR_MIN, YEAR_MAX),
  message: () => `must be a year (an integer from ${YEAR_MIN} to ${YEAR_MAX})`,
  schema: () => ({ type: 'integer', minimum: YEAR_MIN, maximum: YEAR_MAX }),
});

export const IsFiniteNumber = defineRule('isFiniteNumber', {
  test: (value, min: number, max: number) => typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max,
  message: (min, max) => `must be a number from ${min} to ${max}`,
  schema: (min, max) => ({ type: 'number', minimum: min, maximum: max }),
});

export const IsCents = defineRule('isCents', {
  test: (value) => isCents(value),
  message: () => 'must be an integer number of US cents >= 0',
  schema: () => ({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
});

/**
 * US dollars as the HTTP API takes them: at most 2 decimals, stored as cents. Not
 * class-validator's maxDecimalPlaces, which throws on a number written with an exponent
 * (-5e-324: a 500 the fault suite's fuzzing found). The schema cannot say "2 decimals":
 * JSON Schema's multipleOf 0.01 fails 4.35 in floating point.
 */
export const IsUsd = defineRule('isUsd', {
  test: (value) => isUsd(value),
  message: () => `must be US dollars from 0 to ${USD_MAX} with at most 2 decimals`,
  schema: () => ({ type: 'number', minimum: 0, maximum: USD_MAX, description: 'US dollars, at most 2 decimals.' }),
});

/** Null is a value here, not an absence: the property must be present either way. */
export const IsCentsOrNull = defineRule('isCentsOrNull', {
  test: (value) => value === null || isCents(value),
  message: () => 'must be an integer number of US cents >= 0, or null',
  schema: () => ({ type: ['integer', 'null'], minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
});

export const IsText = defineRule('isText', {
  test: (value, minLength: number, maxLength: number) =>
    typeof value === 'string' && value.length >= minLength && value.length <= maxLength,
  message: (minLength, maxLength) => `must be a string of ${minLength} to ${maxLength} characters`,
  schema: (minLength, maxLength) => ({ type: 'string', minLength, maxLength }),
});

export const IsOneOf = defineRule('isOneOf', {
  test: (value, allowed: readonly (string | number)[]) => allowed.includes(value as string | number),
  message: (allowed: readonly (string | number)[]) => `must be one of: ${allowed.join(', ')}`,
  schema: (allowed: readonly (string | number)[]) => ({
    type: allowed.every((item) => typeof item === 'number') ? 'integer' : 'string',
    enum: [...allowed],
  }),
});

export const IsOperationCode = defineRule('isOperationCode', {
  test: (value) => isOperationCode(value),
  message: () => `must be an operation code matching ${OPERATION_CODE_PATTERN.source}`,
  schema: () => ({ type: 'string', pattern: OPERATION_CODE_PATTERN.source }),
});

export const IsCountryCode = defineRule('isCountryCode', {
  test: (value) => isCountryCode(value),
  message: () =>
    "must be an ISO 3166-1 alpha-3 country code, or UNHCR's UNK (unknown), XXA (stateless) or TIB (Tibetan); see /api/v1/reference/countries",
  schema: () => ({ type: 'string', pattern: '^[A-Z]{3}$' }),
});

export const IsNotEqualTo = defineRule('isNotEqualTo', {
  test: (value, forbidden: string, _why: string) => value !== forbidden,
  message: (forbidden, why) => `must not be ${forbidden}: ${why}`,
  schema: (forbidden) => ({ not: { const: forbidden } }),
});

const EVENT_TYPE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

export const IsEventType = defineRule('isEventType', {
  test: (value) => typeof value === 'string' && value.length <= 100 && EVENT_TYPE.test(value),
  message: () => 'must be an event type such as population.figure.upserted',
  schema: () => ({ type: 'string', maxLength: 100, pattern: EVENT_TYPE.source }),
});

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(value: unknown): boolean {
  const parts = typeof value === 'string' ? CALENDAR_DATE.exec(value) : null;
  if (!parts) return false;
  const [year, month, day] = parts.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2019-02-30 over to March: a round trip catches impossible days.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const IsCalendarDate = defineRule('isCalendarDate', {
  test: isCalendarDate,
  message: () => 'must be a calendar date (YYYY-MM-DD)',
  schema: () => ({ type: 'string', format: 'date', pattern: CALENDAR_DATE.source }),
});

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

export const IsTimestamp = defineRule('isTimestamp', {
  test: (value) => typeof value === 'string' && TIMESTAMP.test(value) && isCalendarDate(value.slice(0, 10)),
  message: () => 'must be an ISO-8601 date-time with a time zone, e.g. 2019-07-17T09:30:00.000Z',
  schema: () => ({ type: 'string', format: 'date-time', pattern: TIMESTAMP.source }),
});

// Lower case only, as uuid generates them: the JSON Schema pattern has no case-insensitive
// flag, and the schema and the validator must accept the same strings.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const IsUuid = defineRule('isUuid', {
  test: (value) => typeof value === 'string' && UUID.test(value),
  message: () => 'must be a lower-case UUID',
  schema: () => ({ type: 'string', format: 'uuid', pattern: UUID.source }),
});

export const IsUuidV7 = defineRule('isUuidV7', {
  test: (value) => typeof value === 'string' && UUID_V7.test(value),
  message: () => 'must be a lower-case UUID version 7',
  schema: () => ({ type: 'string', format: 'uuid', pattern: UUID_V7.source }),
});

export const IsObjectOrNull = defineRule('isObjectOrNull', {
  test: (value) => value === null || isObjectNotArray(value),
  message: () => 'must be an object or null',
  schema: () => ({ type: ['object', 'null'] }),
});

/**
 * The property may be left out, but when present it must be valid: unlike IsOptional, null is
 * not taken for absence, so every optional field has exactly one way to be absent.
 */
export function Omittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

import { plainToInstance } from 'class-transformer';
import { validateSync, ValidatorOptions } from 'class-validator';
import { isObjectNotArray } from './is-object';
import { describeValidationErrors } from './validation-errors';

/*
 * Events cross team boundaries, so nothing is coerced or dropped: no implicit conversion
 * ("3" stays a string and fails), and an unknown property is an error, not silently stripped.
 */
const STRICT: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: true },
};

// class-transformer skips keys that objects inherit (`constructor`, `valueOf`, `toString`,
// `hasOwnProperty`, `__proto__`, …) and `prototype` without a word, so whitelisting never sees
// them and a body carrying one was accepted with it dropped. No contract has such a key: they
// are refused up front, wherever they are nested.
const RESERVED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** The paths (`items[2].valueOf`) of every reserved key in a parsed JSON value. */
export function reservedKeyPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => reservedKeyPaths(item, `${path}[${index}]`));
  if (!isObjectNotArray(value)) return [];
  return Object.keys(value).flatMap((key) => {
    const keyPath = path ? `${path}.${key}` : key;
    return RESERVED_KEYS.has(key) ? [keyPath] : reservedKeyPaths(value[key], keyPath);
  });
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Validates `plain` as an instance of `type`; errors are prefixed with `path` (e.g. `data`). */
export function validateStrictly<T extends object>(type: new () => T, plain: unknown, path = ''): Validated<T> {
  if (!isObjectNotArray(plain)) return { ok: false, errors: [`${path || '(root)'}: must be an object`] };
  const reserved = reservedKeyPaths(plain, path);
  if (reserved.length > 0) return { ok: false, errors: reserved.map((keyPath) => `${keyPath}: is not an allowed property`) };
  const instance = plainToInstance(type, plain, { enableImplicitConversion: false });
  // A scalar in place of a nested object fails two rules with the same words: report it once.
  const errors = [...new Set(describeValidationErrors(validateSync(instance, STRICT), path))];
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: instance };
}

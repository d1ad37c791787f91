// class-transformer's @Type reads design-time types through the Reflect metadata API.
import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

// class-transformer keeps its records here; the module ships no declaration of its own.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

type Class<T> = new () => T;

/** class-transformer's per-class records (@Type, @Expose, @Exclude, @Transform), keyed by class. */
const TRANSFORMER_RECORDS = ['_typeMetadatas', '_exposeMetadatas', '_excludeMetadatas', '_transformMetadatas'] as const;

/**
 * A class with `base`'s validation rules and nested types for the properties `keep` accepts:
 * an HTTP body made from a payload class (its rules, minus what the path says). What
 * @nestjs/mapped-types' PickType/OmitType do, without a framework in the contract.
 */
function derive<T extends object>(base: Class<T>, keep: (property: string) => boolean): Class<T> {
  class Derived {}
  const validation = getMetadataStorage();
  for (const rule of validation.getTargetValidationMetadatas(base, '', false, false)) {
    if (!keep(rule.propertyName)) continue;
    const designType = Reflect.getMetadata('design:type', base.prototype, rule.propertyName) as unknown;
    if (designType) Reflect.defineMetadata('design:type', designType, Derived.prototype, rule.propertyName);
    validation.addValidationMetadata({ ...rule, target: Derived });
  }
  const storage = defaultMetadataStorage as unknown as Record<(typeof TRANSFORMER_RECORDS)[number], Map<unknown, Map<string, unknown>>>;
  for (const key of TRANSFORMER_RECORDS) {
    const records = new Map<string, unknown>();
    for (let type: unknown = base; type && type !== Object; type = Object.getPrototypeOf(type)) {
      for (const [property, record] of storage[key].get(type) ?? []) {
        if (!keep(property) || records.has(property)) continue;
        records.set(
          property,
          Array.isArray(record) ? record.map((r: object) => ({ ...r, target: Derived })) : { ...(record as object), target: Derived },
        );
      }
    }
    if (records.size > 0) storage[key].set(Derived, records);
  }
  return Derived as unknown as Class<T>;
}

/** `base` with only the properties `keys`. */
export function PickProperties<T extends object, K extends keyof T & string>(base: Class<T>, keys: readonly K[]): Class<Pick<T, K>> {
  return derive(base, (property) => (keys as readonly string[]).includes(property)) as Class<Pick<T, K>>;
}

/** `base` without the properties `keys`. */
export function OmitProperties<T extends object, K extends keyof T & string>(base: Class<T>, keys: readonly K[]): Class<Omit<T, K>> {
  return derive(base, (property) => !(keys as readonly string[]).includes(property)) as Class<Omit<T, K>>;
}

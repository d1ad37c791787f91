// class-transformer's @Type reads design-time types through the Reflect metadata API.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

// class-transformer keeps its @Type records here; the module ships no declaration of its own.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };
import { ValidateNested } from 'class-validator';
import { defineRule } from './define-rule';
import { isObjectNotArray } from './is-object';

// The shape comes from the nested class (a $ref); these rules only refuse what
// ValidateNested would let through: a scalar, or an array standing in for an object.
const IsObjectValue = defineRule('isObjectValue', {
  test: isObjectNotArray,
  message: () => 'must be an object',
  schema: () => ({}),
});

const IsListOfObjects = defineRule('isListOfObjects', {
  test: (value, maxItems: number) => Array.isArray(value) && value.length <= maxItems && value.every(isObjectNotArray),
  message: (maxItems) => `must be an array of at most ${maxItems} objects`,
  schema: (maxItems) => ({ type: 'array', maxItems }),
});

type ClassRef = () => new () => object;

const nestedTypes = new WeakMap<object, Map<string | symbol, ClassRef>>();

/** The class a property holds (one object or a list of them), for the JSON Schema. */
export function nestedTypeOf(target: object, property: string | symbol): (new () => object) | undefined {
  const recorded = nestedTypes.get(target)?.get(property)?.();
  if (recorded || typeof property !== 'string') return recorded;
  // A class derived with PickType/OmitType (an HTTP body made from a payload class) or one
  // using @Type directly: class-transformer's record of the nested class is copied to it.
  const typed = defaultMetadataStorage.findTypeMetadata(target as new () => object, property)?.typeFunction();
  return typeof typed === 'function' ? (typed as new () => object) : undefined;
}

/** Every class that `target`'s properties hold, in declaration order. */
export function nestedTypesOf(target: object): (new () => object)[] {
  return [...(nestedTypes.get(target)?.values() ?? [])].map((type) => type());
}

function rememberNestedType(target: object, property: string | symbol, type: ClassRef): void {
  const byProperty = nestedTypes.get(target) ?? new Map<string | symbol, ClassRef>();
  byProperty.set(property, type);
  nestedTypes.set(target, byProperty);
}

function combine(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

/** One object of class `type`, validated as strictly as the envelope. */
export function NestedObject(type: ClassRef): PropertyDecorator {
  return combine(
    (target, property) => rememberNestedType(target.constructor, property, type),
    IsObjectValue(),
    ValidateNested(),
    Type(type),
  );
}

/** A list of objects of class `type`; `maxItems` keeps one event well under Kafka's message size. */
export function NestedList(type: ClassRef, maxItems: number): PropertyDecorator {
  return combine(
    (target, property) => rememberNestedType(target.constructor, property, type),
    IsListOfObjects(maxItems),
    ValidateNested({ each: true }),
    Type(type),
  );
}

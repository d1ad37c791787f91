import { ValidationTypes } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import type { ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters';
import { descriptionOf } from '../validation/describe';
import { JsonSchema } from '../validation/json-schema';
import { ruleSchemaConverters } from '../validation/define-rule';
import { nestedTypeOf, nestedTypesOf } from '../validation/nesting';

type SchemaClass = new () => object;

function converters(): ISchemaConverters {
  const fromRules = Object.fromEntries(
    [...ruleSchemaConverters()].map(([name, schemaOf]) => [name, (meta: { constraints: unknown[] }) => schemaOf(meta.constraints ?? [])]),
  );
  return {
    ...fromRules,
    // The library would read the nested class from design:type, which is `Array` for a list;
    // the rules record the real class.
    [ValidationTypes.NESTED_VALIDATION]: (meta, options) => {
      const type = nestedTypeOf(meta.target as object, meta.propertyName);
      if (!type) throw new Error(`${(meta.target as SchemaClass).name}.${meta.propertyName}: nested without a recorded class`);
      return { $ref: `${options.refPointerPrefix}${type.name}` };
    },
  } as ISchemaConverters;
}

/**
 * One class as a closed JSON Schema object, with references to nested classes under
 * `refPrefix` (`#/$defs/` in a schema file, `#/components/schemas/` in AsyncAPI).
 */
export function classSchema(type: SchemaClass, refPrefix: string): JsonSchema {
  // Per class rather than validationMetadatasToSchemas: that one reads every class in the
  // process's validation storage, so another library's DTO named like ours would merge in.
  const generated = targetConstructorToSchema(type, { refPointerPrefix: refPrefix, additionalConverters: converters() }) as JsonSchema;
  const properties = Object.fromEntries(
    Object.entries((generated['properties'] ?? {}) as Record<string, JsonSchema>).map(([name, schema]) => {
      const description = descriptionOf(type, name);
      return [name, description === undefined ? schema : { description, ...schema }];
    }),
  );
  const description = descriptionOf(type);
  return {
    ...(description === undefined ? {} : { description }),
    type: 'object',
    properties,
    ...(generated['required'] ? { required: generated['required'] } : {}),
    // Matches decoding, which refuses unknown properties (forbidNonWhitelisted).
    additionalProperties: false,
  };
}

/** `roots` and every class they hold, transitively, each once, in discovery order. */
export function classesReachableFrom(roots: readonly SchemaClass[]): SchemaClass[] {
  const found: SchemaClass[] = [];
  const visit = (type: SchemaClass) => {
    if (found.includes(type)) return;
    const sameName = found.find((other) => other.name === type.name);
    if (sameName) throw new Error(`two contract classes are named ${type.name}: schema references would be ambiguous`);
    found.push(type);
    nestedTypesOf(type).forEach(visit);
  };
  roots.forEach(visit);
  return found;
}

/** The schemas of `roots` and everything they hold, keyed by class name. */
export function schemaDefinitions(roots: readonly SchemaClass[], refPrefix: string): Record<string, JsonSchema> {
  return Object.fromEntries(classesReachableFrom(roots).map((type) => [type.name, classSchema(type, refPrefix)]));
}

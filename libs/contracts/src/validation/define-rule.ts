import { ValidateBy } from 'class-validator';
import { JsonSchema } from './json-schema';

/*
 * Every rule carries its own JSON Schema, so the published schemas are derived from the same
 * declaration that validates. Messages name no property: the error formatter prefixes the
 * property path, which nested and array errors need anyway.
 */

type SchemaOf = (constraints: readonly unknown[]) => JsonSchema;

const ruleSchemas = new Map<string, SchemaOf>();

/** The JSON Schema of each rule, by the name class-validator records for it. */
export function ruleSchemaConverters(): ReadonlyMap<string, SchemaOf> {
  return ruleSchemas;
}

export function defineRule<C extends unknown[]>(
  name: string,
  rule: {
    test: (value: unknown, ...constraints: C) => boolean;
    message: (...constraints: C) => string;
    schema: (...constraints: C) => JsonSchema;
  },
): (...constraints: C) => PropertyDecorator {
  ruleSchemas.set(name, (constraints) => rule.schema(...(constraints as C)));
  return (...constraints: C) =>
    ValidateBy({
      name,
      constraints,
      validator: {
        validate: (value: unknown) => rule.test(value, ...constraints),
        defaultMessage: () => rule.message(...constraints),
      },
    });
}

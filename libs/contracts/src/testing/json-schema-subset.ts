import { JsonSchema } from '../validation/json-schema';

/*
 * Test support: the project adds no JSON Schema validator dependency, so the specs check
 * instances with this one. It knows exactly the keywords the generator emits and throws on
 * any other, so a schema it passes can't hide a keyword nobody checked.
 */

const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'examples', '$defs', 'format']);

export function schemaErrors(schema: JsonSchema, instance: unknown, root: JsonSchema = schema, path = '(root)'): string[] {
  const errors: string[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    const check = KEYWORDS[keyword];
    if (!check) throw new Error(`${path}: keyword ${keyword} is not supported by the test checker`);
    errors.push(...check(value, instance, { root, path, schema }));
  }
  return errors;
}

interface Context {
  root: JsonSchema;
  path: string;
  schema: JsonSchema;
}

type Check = (value: unknown, instance: unknown, context: Context) => string[];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeMatches(type: string, instance: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(instance);
    case 'array':
      return Array.isArray(instance);
    case 'string':
      return typeof instance === 'string';
    case 'number':
      return typeof instance === 'number' && Number.isFinite(instance);
    case 'integer':
      return typeof instance === 'number' && Number.isInteger(instance);
    case 'null':
      return instance === null;
    default:
      throw new Error(`unknown type ${type}`);
  }
}

function resolveRef(ref: string, root: JsonSchema): JsonSchema {
  const match = /^#\/(\$defs|components\/schemas)\/([A-Za-z0-9_]+)$/.exec(ref);
  if (!match) throw new Error(`unsupported $ref ${ref}`);
  const container = match[1] === '$defs' ? root['$defs'] : (root['components'] as JsonSchema | undefined)?.['schemas'];
  const target = (container as Record<string, JsonSchema> | undefined)?.[match[2]];
  if (!target) throw new Error(`unresolved $ref ${ref}`);
  return target;
}

const length = (text: string) => [...text].length;

const KEYWORDS: Record<string, Check> = {
  type: (type, instance, { path }) => {
    const types = Array.isArray(type) ? (type as string[]) : [type as string];
    return types.some((each) => typeMatches(each, instance)) ? [] : [`${path}: must be of type ${types.join(' or ')}`];
  },
  const: (value, instance, { path }) => (instance === value ? [] : [`${path}: must be ${JSON.stringify(value)}`]),
  enum: (values, instance, { path }) => ((values as unknown[]).includes(instance) ? [] : [`${path}: must be one of the enum`]),
  minimum: (min, instance, { path }) => (typeof instance !== 'number' || instance >= (min as number) ? [] : [`${path}: below minimum`]),
  maximum: (max, instance, { path }) => (typeof instance !== 'number' || instance <= (max as number) ? [] : [`${path}: above maximum`]),
  minLength: (min, instance, { path }) =>
    typeof instance !== 'string' || length(instance) >= (min as number) ? [] : [`${path}: too short`],
  maxLength: (max, instance, { path }) =>
    typeof instance !== 'string' || length(instance) <= (max as number) ? [] : [`${path}: too long`],
  pattern: (pattern, instance, { path }) =>
    typeof instance !== 'string' || new RegExp(pattern as string, 'u').test(instance)
      ? []
      : [`${path}: does not match ${pattern as string}`],
  maxItems: (max, instance, { path }) =>
    !Array.isArray(instance) || instance.length <= (max as number) ? [] : [`${path}: too many items`],
  items: (items, instance, { root, path }) =>
    Array.isArray(instance) ? instance.flatMap((item, index) => schemaErrors(items as JsonSchema, item, root, `${path}[${index}]`)) : [],
  required: (names, instance, { path }) =>
    isObject(instance) ? (names as string[]).filter((name) => !(name in instance)).map((name) => `${path}.${name}: is required`) : [],
  properties: (properties, instance, { root, path }) =>
    isObject(instance)
      ? Object.entries(properties as Record<string, JsonSchema>).flatMap(([name, schema]) =>
          name in instance ? schemaErrors(schema, instance[name], root, `${path}.${name}`) : [],
        )
      : [],
  additionalProperties: (allowed, instance, { path, schema }) => {
    if (allowed !== false) throw new Error(`${path}: only additionalProperties: false is supported`);
    const known = Object.keys((schema['properties'] as JsonSchema | undefined) ?? {});
    return isObject(instance)
      ? Object.keys(instance)
          .filter((name) => !known.includes(name))
          .map((name) => `${path}.${name}: is not allowed`)
      : [];
  },
  not: (negated, instance, { root, path }) =>
    schemaErrors(negated as JsonSchema, instance, root, path).length === 0 ? [`${path}: must not match`] : [],
  $ref: (ref, instance, { root, path }) => schemaErrors(resolveRef(ref as string, root), instance, root, path),
};

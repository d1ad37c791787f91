import { EVENT_DEFINITIONS } from '../events/event-definitions';
import { JsonSchema } from '../validation/json-schema';
import { asyncApiDocument } from './asyncapi-document';
import { eventJsonSchema, eventSchemaFileName } from './event-schemas';

/** Where the documents live, relative to the library's root (libs/contracts). */
export const CONTRACT_DOCUMENT_PATHS = { schemasDir: 'schemas', asyncapi: 'asyncapi.yaml' } as const;

export interface ContractDocuments {
  /** One JSON Schema per (type, schemaVersion), by file name in `schemas/`. */
  schemas: Record<string, JsonSchema>;
  asyncapi: JsonSchema;
}

/**
 * Every published contract document as plain data: no timestamps, keys in a fixed order, so
 * the checked-in files can be compared with a fresh build.
 */
export function contractDocuments(): ContractDocuments {
  return {
    schemas: Object.fromEntries(EVENT_DEFINITIONS.map((definition) => [eventSchemaFileName(definition), eventJsonSchema(definition)])),
    asyncapi: asyncApiDocument(),
  };
}

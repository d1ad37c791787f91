import { EventDefinition } from '../envelope/event-definition';
import { EventEnvelope, EventSubject } from '../envelope/event-envelope';
import { JsonSchema } from '../validation/json-schema';
import { classSchema, schemaDefinitions } from './class-schemas';

export const GENERATED_NOTICE = 'Generated from libs/contracts by `npm run contracts:generate`; do not edit.';

const DEFS = '#/$defs/';

export function eventSchemaFileName(definition: EventDefinition): string {
  return `${definition.type}.v${definition.schemaVersion}.schema.json`;
}

/** The envelope of one event: type, version and source pinned, data pointing at its payload. */
export function envelopeSchemaOf(definition: EventDefinition, refPrefix: string): JsonSchema {
  const envelope = classSchema(EventEnvelope, refPrefix);
  const properties = envelope['properties'] as Record<string, JsonSchema>;
  return {
    title: `${definition.type} v${definition.schemaVersion}`,
    description: definition.summary,
    type: 'object',
    properties: {
      ...properties,
      type: pinned(properties['type'], definition.type),
      schemaVersion: pinned(properties['schemaVersion'], definition.schemaVersion),
      source: pinned(properties['source'], definition.source),
      data: definition.payload
        ? { description: "The entity's full new state.", $ref: `${refPrefix}${definition.payload.name}` }
        : { description: 'Always null: the entity was deleted.', type: 'null' },
    },
    required: envelope['required'],
    additionalProperties: false,
  };
}

function pinned(property: JsonSchema | undefined, value: string | number): JsonSchema {
  const description = property?.['description'];
  return { ...(description === undefined ? {} : { description }), const: value };
}

/** A self-contained JSON Schema (draft 2020-12) of one event, for `schemas/<type>.v<n>.schema.json`. */
export function eventJsonSchema(definition: EventDefinition): JsonSchema {
  const payloads = definition.payload ? [definition.payload as new () => object] : [];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:focus:event:${definition.type}:v${definition.schemaVersion}`,
    $comment: GENERATED_NOTICE,
    ...envelopeSchemaOf(definition, DEFS),
    examples: [asJson(definition.example)],
    $defs: schemaDefinitions([EventSubject, ...payloads], DEFS),
  };
}

export function asJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

import { EventDefinition } from '../envelope/event-definition';
import { EventSubject } from '../envelope/event-envelope';
import { EVENT_SOURCES, EventSource } from '../envelope/event-source';
import { topicOfSource } from '../events/define-event';
import { EVENT_DEFINITIONS } from '../events/event-definitions';
import { DEAD_LETTER_REASONS, DLQ_HEADERS, DLQ_VALUE_OMITTED, EVENT_HEADERS } from '../message-headers';
import { OPERATION_CODE_PATTERN, UNEARMARKED_OPERATION_CODE } from '../operation-code';
import { dlqTopicOf, Topic, TOPICS } from '../topics';
import { JsonSchema } from '../validation/json-schema';
import { ASYNCAPI_DESCRIPTION } from './asyncapi-description';
import { schemaDefinitions } from './class-schemas';
import { asJson, envelopeSchemaOf, eventSchemaFileName } from './event-schemas';

const SCHEMAS = '#/components/schemas/';
const KAFKA_BINDING_VERSION = '0.5.0';

const OWNERS: Record<EventSource, string> = {
  population: 'the population service',
  budget: 'the budget service',
  narratives: 'the narratives service',
  contributions: 'the contributions service',
  'operation-view': 'the operation-view aggregator',
};

function camelCase(name: string): string {
  return name.replace(/[.-]([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

function capitalize(text: string): string {
  return `${text[0].toUpperCase()}${text.slice(1)}`;
}

function messageIdOf(definition: EventDefinition): string {
  return `${camelCase(definition.type)}V${definition.schemaVersion}`;
}

function channelIdOf(source: EventSource): string {
  return `${camelCase(source)}Events`;
}

function definitionsOn(topic: Topic): EventDefinition[] {
  return EVENT_DEFINITIONS.filter((definition) => definition.topic === topic);
}

function keyDescriptionOf(topic: Topic): string {
  const unearmarked =
    topic === TOPICS.contributions ? `, or \`${UNEARMARKED_OPERATION_CODE}\` for a contribution not earmarked for an operation` : '';
  return `\`subject.operationCode\`${unearmarked}`;
}

function channelDescriptionOf(source: EventSource): string {
  const topic = topicOfSource(source);
  return [
    `Events of ${OWNERS[source]}, the only writer of these entities.`,
    `Key: ${keyDescriptionOf(topic)}; one partition per key, so one operation's events arrive in the order written.`,
    'Delivery is at least once: deduplicate by `id`, or keep the highest `subject.version` per `subject.entityId`.',
    `Messages a consumer cannot process go to \`${dlqTopicOf(topic)}\`.`,
  ].join('\n');
}

function keySchemaOf(topic: Topic): JsonSchema {
  return { description: `The message key: ${keyDescriptionOf(topic)}.`, type: 'string', pattern: OPERATION_CODE_PATTERN.source };
}

function exampleHeadersOf(definition: EventDefinition): Record<string, string> {
  const { example } = definition;
  return {
    [EVENT_HEADERS.type]: example.type,
    [EVENT_HEADERS.schemaVersion]: String(example.schemaVersion),
    [EVENT_HEADERS.contentType]: 'application/json',
    ...(example.correlationId === undefined ? {} : { [EVENT_HEADERS.correlationId]: example.correlationId }),
  };
}

function eventMessageOf(definition: EventDefinition): JsonSchema {
  return {
    name: definition.type,
    title: `${definition.type} v${definition.schemaVersion}`,
    summary: definition.summary,
    description: `JSON Schema: \`libs/contracts/schemas/${eventSchemaFileName(definition)}\`.`,
    contentType: 'application/json',
    correlationId: { $ref: '#/components/correlationIds/correlationId' },
    headers: { $ref: `${SCHEMAS}EventHeaders` },
    payload: envelopeSchemaOf(definition, SCHEMAS),
    bindings: { kafka: { key: keySchemaOf(definition.topic), bindingVersion: KAFKA_BINDING_VERSION } },
    examples: [
      {
        name: 'kazakhstan',
        summary: 'From the Kazakhstan operation page of UNHCR Global Focus (2019).',
        headers: exampleHeadersOf(definition),
        payload: asJson(definition.example),
      },
    ],
  };
}

const EVENT_HEADERS_SCHEMA: JsonSchema = {
  description: 'Set by Focus producers; they repeat envelope fields, and the envelope is authoritative.',
  type: 'object',
  properties: {
    [EVENT_HEADERS.type]: { description: 'The envelope `type`.', type: 'string' },
    [EVENT_HEADERS.schemaVersion]: { description: 'The envelope `schemaVersion`, in decimal.', type: 'string', pattern: '^[1-9][0-9]*$' },
    [EVENT_HEADERS.contentType]: { type: 'string', const: 'application/json' },
    [EVENT_HEADERS.correlationId]: { description: 'The envelope `correlationId`, when it has one.', type: 'string' },
  },
  required: [EVENT_HEADERS.type, EVENT_HEADERS.schemaVersion, EVENT_HEADERS.contentType],
};

const DEAD_LETTER_HEADERS_SCHEMA: JsonSchema = {
  description: "The original message's headers, kept as they were, plus these.",
  type: 'object',
  properties: {
    [DLQ_HEADERS.topic]: { description: 'The topic the message was read from.', type: 'string' },
    [DLQ_HEADERS.partition]: { description: 'Its partition, in decimal.', type: 'string' },
    [DLQ_HEADERS.offset]: { description: 'Its offset, in decimal.', type: 'string' },
    [DLQ_HEADERS.group]: { description: 'The consumer group that gave up on it.', type: 'string' },
    [DLQ_HEADERS.reason]: {
      description:
        'Why: the message was not JSON, had an invalid envelope, named an unknown (type, schemaVersion), or had invalid data; or its handler refused it (permanent-error) or kept failing (retries-exhausted).',
      type: 'string',
      enum: [...DEAD_LETTER_REASONS],
    },
    [DLQ_HEADERS.error]: {
      description: 'The error, at most 2000 characters; decode errors name the failing property path.',
      type: 'string',
      maxLength: 2000,
    },
    [DLQ_HEADERS.attempts]: { description: 'How many times the handler ran (0 when decoding failed), in decimal.', type: 'string' },
    [DLQ_HEADERS.failedAt]: { description: 'When it was dead-lettered (ISO-8601).', type: 'string', format: 'date-time' },
    [DLQ_VALUE_OMITTED]: {
      description:
        "Only on a letter without its value: the value's size in bytes, in decimal, which the DLQ topic's max.message.bytes could not take. The message is still on its topic, at the partition and offset above.",
      type: 'string',
    },
  },
  required: Object.values(DLQ_HEADERS),
};

const DEAD_LETTER_MESSAGE: JsonSchema = {
  name: 'dead-letter',
  title: 'Dead letter',
  summary: 'A message a consumer could not process, copied unchanged from the original topic.',
  headers: { $ref: `${SCHEMAS}DeadLetterHeaders` },
  payload: { description: 'The original message value, byte for byte: possibly not JSON, or not a valid event.' },
  bindings: { kafka: { key: { description: 'The original message key.', type: 'string' }, bindingVersion: KAFKA_BINDING_VERSION } },
};

function channelsOf(): Record<string, JsonSchema> {
  return Object.fromEntries(
    EVENT_SOURCES.flatMap((source) => {
      const topic = topicOfSource(source);
      const messages = definitionsOn(topic).map((definition) => [
        messageIdOf(definition),
        { $ref: `#/components/messages/${messageIdOf(definition)}` },
      ]);
      const events = {
        address: topic,
        title: topic,
        description: channelDescriptionOf(source),
        messages: Object.fromEntries(messages),
        bindings: { kafka: { topic, bindingVersion: KAFKA_BINDING_VERSION } },
      };
      const deadLetters = {
        address: dlqTopicOf(topic),
        title: dlqTopicOf(topic),
        description: `Messages of \`${topic}\` that a consumer could not process.`,
        messages: { deadLetter: { $ref: '#/components/messages/deadLetter' } },
        bindings: { kafka: { topic: dlqTopicOf(topic), bindingVersion: KAFKA_BINDING_VERSION } },
      };
      return [
        [channelIdOf(source), events],
        [`${channelIdOf(source)}Dlq`, deadLetters],
      ];
    }),
  );
}

function operationsOf(): Record<string, JsonSchema> {
  return Object.fromEntries(
    EVENT_SOURCES.flatMap((source) => {
      const topic = topicOfSource(source);
      const channel = channelIdOf(source);
      return [
        [
          `publish${capitalize(channel)}`,
          {
            action: 'send',
            channel: { $ref: `#/channels/${channel}` },
            summary: `${capitalize(OWNERS[source])} publishes its events to ${topic}.`,
            messages: definitionsOn(topic).map((definition) => ({ $ref: `#/channels/${channel}/messages/${messageIdOf(definition)}` })),
          },
        ],
        [
          `deadLetter${capitalize(channel)}`,
          {
            action: 'send',
            channel: { $ref: `#/channels/${channel}Dlq` },
            summary: `A Focus consumer of ${topic} parks a message it cannot process in ${dlqTopicOf(topic)}.`,
            messages: [{ $ref: `#/channels/${channel}Dlq/messages/deadLetter` }],
          },
        ],
      ];
    }),
  );
}

/** The AsyncAPI 3.0 document of every Focus topic, as plain data for `asyncapi.yaml`. */
export function asyncApiDocument(): JsonSchema {
  const payloads = EVENT_DEFINITIONS.flatMap((definition) => (definition.payload ? [definition.payload as new () => object] : []));
  return {
    asyncapi: '3.0.0',
    id: 'urn:focus:events',
    info: {
      title: 'Focus events',
      version: '1.0.0',
      description: ASYNCAPI_DESCRIPTION,
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The local broker of a development machine (`npm run infra` or `docker compose up`).',
      },
    },
    channels: channelsOf(),
    operations: operationsOf(),
    components: {
      schemas: {
        ...schemaDefinitions([EventSubject, ...payloads], SCHEMAS),
        EventHeaders: EVENT_HEADERS_SCHEMA,
        DeadLetterHeaders: DEAD_LETTER_HEADERS_SCHEMA,
      },
      messages: {
        ...Object.fromEntries(EVENT_DEFINITIONS.map((definition) => [messageIdOf(definition), eventMessageOf(definition)])),
        deadLetter: DEAD_LETTER_MESSAGE,
      },
      correlationIds: {
        correlationId: {
          description: 'The request that caused the event, when known.',
          location: '$message.payload#/correlationId',
        },
      },
    },
  };
}

import { EVENT_HEADERS } from '../message-headers';
import { UNEARMARKED_OPERATION_CODE } from '../operation-code';

/** What a team subscribing to any Focus topic must know, beyond the message schemas. */
export const ASYNCAPI_DESCRIPTION = `Focus publishes the data behind UNHCR operation pages (people of concern, budgets,
narratives, contributions) as Kafka events. Each topic has one owner service, the only writer
of its entities; everyone else listens.

This document is generated from the classes Focus itself validates events with (\`libs/contracts\`),
so it can't drift from the code. The same contracts are also published as one JSON Schema
(draft 2020-12) per event: \`libs/contracts/schemas/<type>.v<schemaVersion>.schema.json\`.

## The envelope

Every message value is one JSON object (UTF-8):

- \`id\`: UUID v7, unique per event.
- \`type\` and \`schemaVersion\`: the contract \`data\` follows, e.g. \`contributions.contribution.recorded\`, 1.
- \`occurredAt\`, \`source\` (the owner service), \`correlationId\` (optional).
- \`subject\`: \`{ operationCode, entityId, version }\`, the entity and the version of it that the event
  carries. It agrees with \`data\` (Focus refuses an event whose subject does not), except in
  \`contributions.contribution.moved\` (below), whose subject is the operation the contribution left.
- \`data\`: event-carried state, the entity's *full* new state (never a diff), so a consumer never calls
  back. Deletions (\`*.deleted\`) carry \`data: null\`. A cancelled contribution is not deleted: its
  event carries the full state with \`status: "cancelled"\`.

The headers \`${EVENT_HEADERS.type}\`, \`${EVENT_HEADERS.schemaVersion}\`, \`${EVENT_HEADERS.contentType}\` and \`${EVENT_HEADERS.correlationId}\`
(when set) repeat envelope fields, so a consumer can filter without parsing; the envelope is
authoritative.

## Keys and ordering

The message key is \`subject.operationCode\`. Topics are partitioned by key, so all events of one
operation are on one partition, in the order their owner wrote them. There is no order across
operations or across topics. A contribution that is not earmarked for an operation has no
\`operationCode\` in its data: its events carry \`subject.operationCode\` and key
\`${UNEARMARKED_OPERATION_CODE}\` (no operation can have that code), so unearmarked contributions are ordered
among themselves.

A contribution can be re-earmarked (its \`operationCode\` changed, added or removed). Its
\`contributions.contribution.updated\` (or \`.cancelled\`) event is keyed by the operation it is earmarked
for now, like any other. With it, in the same write, the contributions service publishes
\`contributions.contribution.moved\`, keyed by and with \`subject.operationCode\` set to the operation it
left (\`${UNEARMARKED_OPERATION_CODE}\` if it was unearmarked): same \`subject.entityId\`, same \`subject.version\`,
same full new state in \`data\`. A consumer that keeps per-operation state (a page listing an
operation's contributions) learns from it, in that operation's own order, that the contribution is no
longer there; it keeps that version, so a late redelivery of the old earmark (a lower version) cannot
bring it back. A consumer that keeps one state per contribution may ignore the type (every state is also
in an updated or cancelled event), or apply it like them: the same version arrives twice and applies once.

## Delivery: at least once

An owner writes each event together with its change (an outbox in the same MongoDB document) and
publishes it afterwards: no event is lost, but a crash or a retry can publish one twice, and a
consumer can see an event again after a rebalance. Make your consumer idempotent, in one of two ways:

- deduplicate by \`id\`; or
- keep, per \`subject.entityId\`, the highest \`subject.version\` applied (deletions included), and skip any
  event whose version is not higher. This also tolerates reordering, and replaying a topic from
  offset 0 into an empty store rebuilds exactly the same state.

## Dead letters

A Focus consumer that cannot process a message (not JSON, invalid envelope, unknown contract,
invalid data, or a handler that keeps failing) copies it unchanged (same key, value and headers)
to \`<topic>.dlq\`, adds \`dlq-*\` headers saying where it came from and why, and moves on. Dead-letter
topics are for inspection and replay; they are not part of the data contract.

## How versions evolve

- A contract is the pair (\`type\`, \`schemaVersion\`). A message valid for a pair stays valid for it:
  within a schemaVersion, changes are additive only (new event types, new topics, clearer
  descriptions). The schemas are closed (\`additionalProperties: false\`) and Focus's own consumers
  refuse unknown properties, so even a new optional property is a breaking change.
- A breaking change is a new \`schemaVersion\` of the type, published alongside the old one (the owner
  publishes both, with the same subject and version) until consumers have moved; the old one is
  then retired with notice. A published schemaVersion is never edited in place.
- Consumers must ignore event types, and (\`type\`, \`schemaVersion\`) pairs, that they do not know,
  instead of failing: that is what lets Focus add them without breaking anyone.
`;

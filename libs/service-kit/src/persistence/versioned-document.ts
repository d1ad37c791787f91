import { Schema } from 'mongoose';
import { OUTBOX_SCHEMA_FIELDS, OutboxFields, RevisionDocument } from '@focus/messaging';

/**
 * An entity as reads see it (the head): its natural key as `_id`, its current state and
 * version. A deletion leaves a tombstone (state null) so that versions keep rising if the
 * entity comes back. Heads written before revisions existed may still carry an outbox, which
 * the relay drains; new events live in the revisions.
 */
export interface VersionedDocument<S> extends Partial<OutboxFields> {
  _id: string;
  operationCode: string | null;
  state: S | null;
  version: number;
  updatedAt: Date;
}

/**
 * One change of an entity, kept for good (`_id` `${entityId}@${version}`, key the entity id,
 * seq its version): the state it left (null: deleted), when and by which request, and its
 * events, which are also its outbox entries. Enough to serve the entity's history.
 */
export interface EntityRevision<S> extends RevisionDocument, OutboxFields {
  /** The Kafka key and subject of its events. */
  operationCode: string;
  state: S | null;
  recordedAt: Date;
  correlationId: string | null;
}

export function versionedSchema(collection: string): Schema {
  const schema = new Schema(
    {
      _id: { type: String, required: true },
      operationCode: { type: String, default: null, index: true },
      state: { type: Schema.Types.Mixed, default: null },
      version: { type: Number, required: true },
      updatedAt: { type: Date, required: true },
      ...OUTBOX_SCHEMA_FIELDS,
    },
    { collection, versionKey: false, minimize: false, strict: true },
  );
  return schema;
}

import { Schema } from 'mongoose';
import { OUTBOX_SCHEMA_FIELDS, OutboxFields } from '@focus/messaging';

/**
 * How every owner service stores an entity: its natural key as `_id`, its full current state,
 * a version bumped by each change, and the outbox of events not yet published. A deletion
 * leaves a tombstone (state null) so that versions keep rising if the entity comes back.
 */
export interface VersionedDocument<S> extends OutboxFields {
  _id: string;
  operationCode: string | null;
  state: S | null;
  version: number;
  updatedAt: Date;
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

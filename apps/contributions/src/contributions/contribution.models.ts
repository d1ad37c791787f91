import { Schema } from 'mongoose';
import { ContributionState } from '@focus/contracts';
import { versionedSchema, VersionedDocument } from '@focus/service-kit';

export const CONTRIBUTIONS = 'contributions';
export const IDEMPOTENCY_KEYS = 'idempotency_keys';

export const contributionSchema = versionedSchema(CONTRIBUTIONS);
// The listing's order (date desc, then id desc) and its filters. The filters read the state,
// not the document's top-level operationCode, which keeps the code the entity was created with.
contributionSchema.index({ 'state.date': -1, _id: -1 });
contributionSchema.index({ 'state.operationCode': 1, 'state.date': -1 });

export type ContributionDocument = VersionedDocument<ContributionState>;

/**
 * One `Idempotency-Key` of `POST /contributions`: the key itself is the unique `_id`, so of
 * two concurrent requests with one key exactly one inserts it; both then create (or find)
 * the same contribution id. The hash of the request's content tells a retry from a misuse.
 */
export interface IdempotencyKeyDocument {
  _id: string;
  contributionId: string;
  requestHash: string;
  createdAt: Date;
}

export const idempotencyKeySchema = new Schema<IdempotencyKeyDocument>(
  {
    _id: { type: String, required: true },
    contributionId: { type: String, required: true },
    requestHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: IDEMPOTENCY_KEYS, versionKey: false, strict: true },
);

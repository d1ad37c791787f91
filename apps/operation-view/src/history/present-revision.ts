import { RevisionDocument } from './revision';

/** A revision as the history API answers it. */
export function presentRevision(revision: RevisionDocument) {
  const source = revision.state?.['source'];
  return {
    version: revision.version,
    deleted: revision.state === null,
    state: revision.state,
    // Population figures and totals name where their value comes from; other entities have no source.
    ...(source === undefined ? {} : { source }),
    recordedAt: revision.recordedAt.toISOString(),
    requestId: revision.correlationId ?? null,
    event: revision.type,
  };
}

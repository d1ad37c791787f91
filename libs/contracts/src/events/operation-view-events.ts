import { OperationViewUpdatedState } from '../payloads/operation-view';
import { defineEvent } from './define-event';
import { EVENT_TYPES } from './event-types';

export const operationViewUpdated = defineEvent<OperationViewUpdatedState>({
  type: EVENT_TYPES.operationViewUpdated,
  schemaVersion: 1,
  source: 'operation-view',
  payload: OperationViewUpdatedState,
  summary: 'The combined view of an operation changed; read it from GET /api/v1/operations/{code}.',
  example: {
    id: '016be1ec-7fc2-7b6d-a9e0-92a67c605252',
    occurredAt: '2019-07-11T16:45:01.250Z',
    subject: { operationCode: 'KAZ', entityId: 'KAZ', version: 57 },
    data: { operationCode: 'KAZ', version: 57 },
  },
});

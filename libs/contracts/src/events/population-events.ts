import { PopulationFigureState, PopulationTotalState } from '../payloads/population';
import { defineEvent } from './define-event';
import { EVENT_TYPES } from './event-types';

// Examples: the Kazakhstan page of UNHCR's Global Focus site, published in 2019.
const GLOBAL_FOCUS_2019 = { name: 'UNHCR Global Focus 2019', asOf: '2018-12-31' };

export const populationFigureUpserted = defineEvent<PopulationFigureState>({
  type: EVENT_TYPES.populationFigureUpserted,
  schemaVersion: 1,
  source: 'population',
  payload: PopulationFigureState,
  summary: "An operation's count of one population type in one year (of one origin, when the figure has one) was created or changed.",
  example: {
    id: '016bac8c-3c00-7e52-af25-d7f7cdb1a3a3',
    occurredAt: '2019-07-01T08:00:00.000Z',
    subject: { operationCode: 'KAZ', entityId: 'KAZ:2018:REF', version: 1 },
    correlationId: 'import-global-focus-2019',
    data: { operationCode: 'KAZ', year: 2018, type: 'REF', value: 588, source: GLOBAL_FOCUS_2019 },
  },
});

export const populationFigureDeleted = defineEvent<null>({
  type: EVENT_TYPES.populationFigureDeleted,
  schemaVersion: 1,
  source: 'population',
  payload: null,
  summary: "An operation's count of one population type in one year (of one origin, when the figure has one) was removed.",
  example: {
    id: '016bac90-cfe0-7048-b0ab-58582e120404',
    occurredAt: '2019-07-01T08:05:00.000Z',
    subject: { operationCode: 'KAZ', entityId: 'KAZ:2018:IDP', version: 2 },
    data: null,
  },
});

export const populationTotalUpserted = defineEvent<PopulationTotalState>({
  type: EVENT_TYPES.populationTotalUpserted,
  schemaVersion: 1,
  source: 'population',
  payload: PopulationTotalState,
  summary: "An operation's total people of concern for a year without a breakdown was created or changed.",
  example: {
    id: '016bac95-63c0-723e-b62c-ddb98f736565',
    occurredAt: '2019-07-01T08:10:00.000Z',
    subject: { operationCode: 'KAZ', entityId: 'KAZ:2017:total', version: 1 },
    data: { operationCode: 'KAZ', year: 2017, total: 94_532, source: { name: 'UNHCR Global Focus 2019', asOf: '2017-12-31' } },
  },
});

export const populationTotalDeleted = defineEvent<null>({
  type: EVENT_TYPES.populationTotalDeleted,
  schemaVersion: 1,
  source: 'population',
  payload: null,
  summary: "An operation's total people of concern for a year was removed.",
  example: {
    id: '016bac99-f7a0-7424-bbb2-621af0d4c6c6',
    occurredAt: '2019-07-01T08:15:00.000Z',
    subject: { operationCode: 'KAZ', entityId: 'KAZ:2016:total', version: 2 },
    data: null,
  },
});

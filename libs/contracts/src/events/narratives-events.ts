import { KeyFigureSetState } from '../payloads/key-figure-set';
import { NarrativeSectionState } from '../payloads/narrative-section';
import { OperationProfileState } from '../payloads/operation-profile';
import { defineEvent } from './define-event';
import { EVENT_TYPES } from './event-types';

export const narrativesProfileUpserted = defineEvent<OperationProfileState>({
  type: EVENT_TYPES.narrativesProfileUpserted,
  schemaVersion: 1,
  source: 'narratives',
  payload: OperationProfileState,
  summary: "An operation's profile (names, region, offices) was created or changed.",
  example: {
    id: '016bb746-d100-79f7-843e-ed3d13f7e9e9',
    occurredAt: '2019-07-03T10:00:00.000Z',
    subject: { operationCode: 'KAZ', entityId: 'KAZ', version: 4 },
    data: {
      code: 'KAZ',
      name: { en: 'Kazakhstan Regional Office', fr: 'Bureau régional au Kazakhstan' },
      region: 'Europe',
      subregion: 'Central Asia',
      offices: [{ name: 'Almaty', kind: 'regional-office', lat: 43.2389, lon: 76.8897 }],
    },
  },
});

export const narrativesProfileDeleted = defineEvent<null>({
  type: EVENT_TYPES.narrativesProfileDeleted,
  schemaVersion: 1,
  source: 'narratives',
  payload: null,
  summary: "An operation's profile was removed.",
  example: {
    id: '016bb74b-64e0-7bed-89c0-729e74584a4a',
    occurredAt: '2019-07-03T10:05:00.000Z',
    subject: { operationCode: 'KAZ', entityId: 'KAZ', version: 5 },
    data: null,
  },
});

export const narrativesKeyFiguresUpserted = defineEvent<KeyFigureSetState>({
  type: EVENT_TYPES.narrativesKeyFiguresUpserted,
  schemaVersion: 1,
  source: 'narratives',
  payload: KeyFigureSetState,
  summary: "An operation's key figures of one kind (results or planning) for one year were set.",
  example: {
    id: '016bb74f-f8c0-7dd3-8f45-f7ffd5b9abab',
    occurredAt: '2019-07-03T10:10:00.000Z',
    subject: { operationCode: 'KAZ', entityId: 'KAZ:2018:result', version: 1 },
    data: {
      operationCode: 'KAZ',
      year: 2018,
      kind: 'result',
      items: [
        {
          value: 100,
          unit: 'percent',
          text: {
            en: 'of refugees and asylum-seekers had access to primary health care',
            fr: "des réfugiés et des demandeurs d'asile avaient accès aux soins de santé primaires",
          },
        },
        {
          value: 742,
          unit: 'persons',
          text: { en: 'persons with undetermined nationality were assisted with confirmation of nationality' },
        },
        { value: 197, unit: 'people', text: { en: 'people of concern received legal assistance' } },
        { value: 134, unit: 'households', text: { en: 'targeted households received multi-purpose cash grants for basic needs' } },
      ],
    },
  },
});

export const narrativesKeyFiguresDeleted = defineEvent<null>({
  type: EVENT_TYPES.narrativesKeyFiguresDeleted,
  schemaVersion: 1,
  source: 'narratives',
  payload: null,
  summary: "An operation's key figures of one kind for one year were removed.",
  example: {
    id: '016bb754-8ca0-7fc9-90cb-7860361a0c0c',
    occurredAt: '2019-07-03T10:15:00.000Z',
    subject: { operationCode: 'KAZ', entityId: 'KAZ:2019:plan', version: 3 },
    data: null,
  },
});

export const narrativesSectionUpserted = defineEvent<NarrativeSectionState>({
  type: EVENT_TYPES.narrativesSectionUpserted,
  schemaVersion: 1,
  source: 'narratives',
  payload: NarrativeSectionState,
  summary: "One section of an operation's narrative for a year, in one language, was created or changed.",
  example: {
    id: '016bb759-2080-71bf-964c-fdc1977b6d6d',
    occurredAt: '2019-07-03T10:20:00.000Z',
    subject: { operationCode: 'KAZ', entityId: 'KAZ:2018:en:operational-environment', version: 1 },
    data: {
      operationCode: 'KAZ',
      year: 2018,
      lang: 'en',
      section: 'operational-environment',
      body:
        'In 2018, the political and operational environment in Kazakhstan remained stable. Kazakhstan concluded its two-year ' +
        'tenure as a non-permanent member of the UN Security Council. In 2018, the newly adopted legislation increased controls ' +
        'over freedom of speech, religion and association. Political and national security considerations continued to affect ' +
        'decisions on the asylum cases.',
    },
  },
});

export const narrativesSectionDeleted = defineEvent<null>({
  type: EVENT_TYPES.narrativesSectionDeleted,
  schemaVersion: 1,
  source: 'narratives',
  payload: null,
  summary: "One section of an operation's narrative for a year, in one language, was removed.",
  example: {
    id: '016bb75d-b460-73a5-9bd2-8222f8dccece',
    occurredAt: '2019-07-03T10:25:00.000Z',
    subject: { operationCode: 'KAZ', entityId: 'KAZ:2018:fr:unmet-needs', version: 2 },
    data: null,
  },
});

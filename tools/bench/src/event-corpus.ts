import { v7 as uuidv7 } from 'uuid';
import {
  createEvent,
  EVENTS,
  EventEnvelope,
  entityIds,
  KEY_FIGURE_KINDS,
  LANGS,
  NARRATIVE_SECTION_KEYS,
  PILLAR_NUMBERS,
  POPULATION_TYPE_CODES,
} from '@focus/contracts';

export interface CorpusShape {
  operations: number;
  years: number;
  events: number;
  /** Operation codes start with it, so a corpus never touches real operations. */
  codePrefix: string;
}

const FIRST_YEAR = 2010;
const SOURCE = { name: 'Focus benchmark corpus', asOf: '2019-12-31' };
const BODY = 'In the year under review the operation kept its focus on protection, documentation and durable solutions. '.repeat(6).trim();

export function corpusOperationCode(shape: Pick<CorpusShape, 'codePrefix'>, index: number): string {
  return `${shape.codePrefix}${String(index).padStart(3, '0')}`;
}

/**
 * Valid events of all four domains, as the owner services publish them: every operation gets
 * its profile, then each round revises every entity of every (operation, year) to the next
 * version and records a few new contributions, until `events` are made. Rounds interleave
 * the operations, so every partition receives a steady mix, and an operation's events come
 * in version order, as its one partition delivers them.
 */
export function buildCorpus(shape: CorpusShape): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  const full = () => events.length >= shape.events;
  const codes = Array.from({ length: shape.operations }, (_, i) => corpusOperationCode(shape, i + 1));
  for (const code of codes) {
    if (full()) break;
    events.push(profileEvent(code));
  }
  for (let version = 1; !full(); version++) {
    for (let y = 0; y < shape.years && !full(); y++) {
      for (const code of codes) {
        for (const event of entityEvents(code, FIRST_YEAR + y, version)) {
          if (full()) break;
          events.push(event);
        }
        if (full()) break;
      }
    }
  }
  return events;
}

function profileEvent(code: string): EventEnvelope {
  return createEvent(EVENTS.narrativesProfileUpserted, {
    subject: { operationCode: code, entityId: entityIds.operationProfile(code), version: 1 },
    data: {
      code,
      name: { en: `Benchmark operation ${code}`, fr: `Opération de référence ${code}` },
      region: 'Europe',
      subregion: 'Central Asia',
      offices: [],
    },
  });
}

function* entityEvents(code: string, year: number, version: number): Generator<EventEnvelope> {
  const subject = (entityId: string) => ({ operationCode: code, entityId, version });
  for (const [i, type] of POPULATION_TYPE_CODES.entries()) {
    yield createEvent(EVENTS.populationFigureUpserted, {
      subject: subject(entityIds.populationFigure(code, year, type)),
      data: { operationCode: code, year, type, value: 1_000 * (i + 1) + version, source: SOURCE },
    });
  }
  for (const pillar of PILLAR_NUMBERS) {
    yield createEvent(EVENTS.budgetLineUpserted, {
      subject: subject(entityIds.budgetLine(code, year, pillar)),
      data: { operationCode: code, year, pillar, budgetCents: 100_000_000 * pillar + version, expenditureCents: 50_000_000 * pillar },
    });
  }
  for (const kind of KEY_FIGURE_KINDS) {
    yield createEvent(EVENTS.narrativesKeyFiguresUpserted, {
      subject: subject(entityIds.keyFigureSet(code, year, kind)),
      data: {
        operationCode: code,
        year,
        kind,
        items: [{ value: 100 + version, unit: 'persons', text: { en: 'persons were assisted', fr: 'personnes ont été aidées' } }],
      },
    });
  }
  for (const lang of LANGS) {
    for (const section of NARRATIVE_SECTION_KEYS) {
      yield createEvent(EVENTS.narrativesSectionUpserted, {
        subject: subject(entityIds.narrativeSection(code, year, lang, section)),
        data: { operationCode: code, year, lang, section, body: `${BODY} (revision ${version})` },
      });
    }
  }
  for (let month = 1; month <= 4; month++) {
    const id = uuidv7();
    yield createEvent(EVENTS.contributionsContributionRecorded, {
      subject: { operationCode: code, entityId: entityIds.contribution(id), version: 1 },
      data: {
        id,
        donor: { name: 'European Union', type: 'eu' },
        date: `${year}-${String(month * 3).padStart(2, '0')}-15`,
        operationCode: code,
        status: 'paid',
        amountCents: 25_000_000,
      },
    });
  }
}

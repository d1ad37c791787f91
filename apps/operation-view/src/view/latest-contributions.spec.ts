import { ContributionState, createEvent, EventDefinition, EventEnvelope, EVENTS, UNEARMARKED_OPERATION_CODE } from '@focus/contracts';
import { applyEvent } from '../projection/apply-event';
import { emptyState, OperationState, viewVersion } from '../projection/operation-state';
import { buildView } from './build-view';

const ID = '016bd1e1-6ca0-7d53-af66-1707ddc1b3b3';
const norway = (
  version: number,
  operationCode: string | undefined,
  status: ContributionState['status'] = 'pledged',
): ContributionState => ({
  id: ID,
  donor: { name: `Norway v${version}`, type: 'government' },
  date: '2019-07-08',
  ...(operationCode === undefined ? {} : { operationCode }),
  status,
});
const event = (definition: EventDefinition<ContributionState>, subjectCode: string, version: number, data: ContributionState) =>
  createEvent(definition, { subject: { operationCode: subjectCode, entityId: ID, version }, data });

// What the contributions service publishes for one contribution re-earmarked twice and back:
// each change under its new earmark, and "moved" (same version, same state) under the old one.
const recorded = event(EVENTS.contributionsContributionRecorded, 'KAZ', 1, norway(1, 'KAZ'));
const toKgz = [
  event(EVENTS.contributionsContributionUpdated, 'KGZ', 2, norway(2, 'KGZ')),
  event(EVENTS.contributionsContributionMoved, 'KAZ', 2, norway(2, 'KGZ')),
];
const unearmarked = [
  event(EVENTS.contributionsContributionUpdated, UNEARMARKED_OPERATION_CODE, 3, norway(3, undefined)),
  event(EVENTS.contributionsContributionMoved, 'KGZ', 3, norway(3, undefined)),
];
const backToKaz = [
  event(EVENTS.contributionsContributionUpdated, 'KAZ', 4, norway(4, 'KAZ')),
  event(EVENTS.contributionsContributionMoved, UNEARMARKED_OPERATION_CODE, 4, norway(4, 'KAZ')),
];
// Another contribution of KAZ, never moved: it stays listed whatever happens to the first.
const sweden = createEvent(EVENTS.contributionsContributionRecorded, {
  subject: { operationCode: 'KAZ', entityId: '016bd1e3-4160-7f49-b0eb-98683e221414', version: 1 },
  data: {
    id: '016bd1e3-4160-7f49-b0eb-98683e221414',
    donor: { name: 'Sweden', type: 'government' },
    date: '2019-07-01',
    operationCode: 'KAZ',
    status: 'paid',
  },
});

/** As the view writer does: each event goes to the view of its subject's operation (its Kafka key). */
function project(events: EventEnvelope[]): Map<string, OperationState> {
  const views = new Map<string, OperationState>();
  for (const e of events) {
    const state = views.get(e.subject.operationCode) ?? emptyState();
    applyEvent(state, e);
    views.set(e.subject.operationCode, state);
  }
  return views;
}

function listed(views: Map<string, OperationState>): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  for (const code of ['KAZ', 'KGZ', UNEARMARKED_OPERATION_CODE]) {
    const view = buildView(views.get(code) ?? emptyState(), { code, year: 2018, lang: 'en', version: 0, updatedAt: new Date(0) });
    lists[code] = view.latestContributions.map((c) => c.donor);
  }
  return lists;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** Every order of a few events; of more (8! is 40,320), the same 500 shuffles on every run. */
function deliveryOrders<T>(items: T[]): T[][] {
  if (items.length <= 7) return permutations(items);
  let seed = 20190708;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: 500 }, () => {
    const order = [...items];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  });
}

describe('latest contributions of a re-earmarked contribution', () => {
  it.each([
    ['moved from KAZ to KGZ', [recorded, ...toKgz], { KAZ: ['Sweden'], KGZ: ['Norway v2'], UNEARMARKED: [] }],
    ['then unearmarked', [recorded, ...toKgz, ...unearmarked], { KAZ: ['Sweden'], KGZ: [], UNEARMARKED: ['Norway v3'] }],
    [
      'then earmarked for KAZ again',
      [recorded, ...toKgz, ...unearmarked, ...backToKaz],
      { KAZ: ['Norway v4', 'Sweden'], KGZ: [], UNEARMARKED: [] },
    ],
  ])('%s: listed by its newest earmark only, in every delivery order, with duplicates', (_case, events, expected) => {
    // Each order delivered, then redelivered backwards: every event twice, stale ones last.
    const outcomes = new Set(
      deliveryOrders([sweden, ...events]).map((order) => JSON.stringify(listed(project([...order, ...[...order].reverse()])))),
    );
    expect([...outcomes].map((outcome) => JSON.parse(outcome))).toEqual([expected]);
  });

  it('the old view keeps the version that moved it, so a late redelivery of the old earmark is refused', () => {
    const views = project([recorded, sweden, ...toKgz]);
    const kaz = views.get('KAZ')!;
    expect(kaz.contributions[ID]).toEqual({ v: 2, s: norway(2, 'KGZ') });
    expect(applyEvent(kaz, recorded)).toBe(false);
    expect(listed(views)['KAZ']).toEqual(['Sweden']);
  });

  it('a move is a change of the view it leaves: its version rises, so its caches are told', () => {
    const before = viewVersion(project([recorded, sweden]).get('KAZ')!);
    expect(viewVersion(project([recorded, sweden, ...toKgz]).get('KAZ')!)).toBe(before + 1);
  });
});

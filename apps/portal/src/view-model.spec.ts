import { EVENT_DEFINITIONS, EVENT_TYPES, TOPICS } from '@focus/contracts';
import type { ContributionState, EventEnvelope } from './api';
import fixture from './testing/fixtures/kaz-ro-views.json';
import {
  addedContributions,
  CONTRIBUTION_EVENTS,
  describeSeries,
  EXACT_MILLIONS_DECIMALS,
  formatContributionDate,
  formatKeyFigure,
  formatMillions,
  formatNumber,
  formatUsdFromMillions,
  LiveContribution,
  mapViewport,
  markNew,
  parseContributionEvent,
  pillarsWithData,
  trendWords,
} from './view-model';

// French groups digits with a narrow no-break space (U+202F) and puts one before % and $.
const NNBSP = '\u202f';

describe('numbers as the page shows them', () => {
  it('whole numbers: 88,419 in English, 88 419 in French', () => {
    expect(formatNumber(88419, 'en')).toBe('88,419');
    expect(formatNumber(87632, 'en')).toBe('87,632');
    expect(formatNumber(588, 'en')).toBe('588');
    expect(formatNumber(88419, 'fr')).toBe(`88${NNBSP}419`);
  });

  it('USD millions with two decimals, a dash for a missing value', () => {
    expect(formatMillions(7.40638597, 'en')).toBe('7.41');
    expect(formatMillions(0.09035, 'en')).toBe('0.09');
    expect(formatMillions(5.52037323, 'fr')).toBe('5,52');
    expect(formatMillions(null, 'en')).toBe('–');
    expect(formatMillions(undefined, 'fr')).toBe('–');
  });

  it('USD millions exact to the cent for data tables: 4.40666094, trailing zeros kept', () => {
    expect(formatMillions(4.40666094, 'en', EXACT_MILLIONS_DECIMALS)).toBe('4.40666094');
    expect(formatMillions(4.328075, 'en', EXACT_MILLIONS_DECIMALS)).toBe('4.32807500');
    expect(formatMillions(0.7073197, 'fr', EXACT_MILLIONS_DECIMALS)).toBe('0,70731970');
    expect(formatMillions(null, 'en', EXACT_MILLIONS_DECIMALS)).toBe('–');
  });

  it('the exact amount behind 8 decimals of millions is cents: 7.40638597 = $7,406,385.97', () => {
    expect(formatUsdFromMillions(7.40638597, 'en')).toBe('$7,406,385.97');
    expect(formatUsdFromMillions(5.52037323, 'en')).toBe('$5,520,373.23');
    expect(formatUsdFromMillions(7.40638597, 'fr').replace(/\s/g, ' ')).toBe('7 406 385,97 $US');
  });

  it('key figures: percentages carry their sign, counts are grouped', () => {
    expect(formatKeyFigure({ value: 100, unit: 'percent', text: '' }, 'en')).toBe('100%');
    expect(formatKeyFigure({ value: 85, unit: 'percent', text: '' }, 'fr').replace(/\s/g, ' ')).toBe('85 %');
    expect(formatKeyFigure({ value: 742, unit: 'persons', text: '' }, 'en')).toBe('742');
    expect(formatKeyFigure({ value: 1250, unit: 'people', text: '' }, 'en')).toBe('1,250');
  });
});

describe('words', () => {
  it('the trend before the year, in both languages', () => {
    expect(trendWords('decrease', 'en')).toBe('Decrease in');
    expect(trendWords('increase', 'en')).toBe('Increase in');
    expect(trendWords('stable', 'en')).toBe('Stable in');
    expect(trendWords('decrease', 'fr')).toBe('Baisse en');
    expect(trendWords('increase', 'fr')).toBe('Hausse en');
    expect(trendWords(null, 'fr')).toBeNull();
  });

  it('contribution dates as the page lists them: 17-JUL-2019', () => {
    expect(formatContributionDate('2019-07-17', 'en')).toBe('17-JUL-2019');
    expect(formatContributionDate('2019-06-30', 'en')).toBe('30-JUN-2019');
    expect(formatContributionDate('2019-07-17', 'fr')).toBe('17-JUIL-2019');
    expect(formatContributionDate('2019-02-01', 'fr')).toBe('01-FÉVR-2019');
    expect(formatContributionDate('not a date', 'en')).toBe('not a date');
  });

  it("a chart's text alternative names every value, and says so when one is missing", () => {
    expect(describeSeries('Expenditure', [2018, 2019], [2.73375977, null], 'en', (v) => formatMillions(v, 'en'))).toBe(
      'Expenditure: 2018 2.73; 2019 no data.',
    );
    expect(describeSeries('Dépenses', [2019], [null], 'fr', String)).toBe('Dépenses : 2019 pas de données.');
  });
});

describe('the seed view', () => {
  const view = fixture.views['2018:en'];

  it('leaves out a pillar with no figure at all (p3), keeps one with a single figure (p4)', () => {
    expect(pillarsWithData(view.budget as never)).toEqual(['p1', 'p2', 'p4']);
  });

  it('the map looks at the offices, zoomed in but not to a single street', () => {
    expect(mapViewport(view.operation.offices)).toEqual({ center: [76.8897, 43.2389], zoom: 4.5 });
    expect(mapViewport([])).toEqual({ center: [20, 20], zoom: 1.2 });
    const wide = mapViewport([
      { lat: 0, lon: -60 },
      { lat: 10, lon: 100 },
    ]);
    expect(wide.center).toEqual([20, 5]);
    expect(wide.zoom).toBeLessThan(2);
  });
});

describe('live contributions', () => {
  const seedList: LiveContribution[] = [
    { id: 'eu', date: '2019-07-17', donor: 'European Union' },
    { id: 'kw', date: '2019-07-16', donor: 'Kuwait' },
  ];
  const envelope = (type: string, data: Partial<ContributionState> & { id: string }): EventEnvelope<ContributionState> => ({
    id: `event-${data.id}`,
    type,
    schemaVersion: 1,
    occurredAt: '2019-07-20T10:00:00.000Z',
    source: 'contributions',
    subject: { operationCode: 'KAZ-RO', entityId: data.id, version: 1 },
    data: { donor: { name: 'Japan', type: 'government' }, date: '2019-07-20', status: 'pledged', operationCode: 'KAZ-RO', ...data },
  });

  it('names every event type libs/contracts declares on contributions.events', () => {
    expect(CONTRIBUTION_EVENTS).toEqual({
      recorded: EVENT_TYPES.contributionsContributionRecorded,
      updated: EVENT_TYPES.contributionsContributionUpdated,
      cancelled: EVENT_TYPES.contributionsContributionCancelled,
      moved: EVENT_TYPES.contributionsContributionMoved,
    });
    // A type added to the topic must be handled here (or knowingly ignored): this fails until then.
    expect(Object.values(CONTRIBUTION_EVENTS).sort()).toEqual(
      EVENT_DEFINITIONS.filter((d) => d.topic === TOPICS.contributions)
        .map((d) => d.type)
        .sort(),
    );
  });

  it("shows the view's list as it is, marking live what the page did not show before", () => {
    const next = [{ id: 'jp', date: '2019-07-20', donor: 'Japan' }, ...seedList];
    expect(markNew(seedList, next)).toEqual([{ ...next[0], live: true }, seedList[0], seedList[1]]);
    expect(addedContributions(seedList, next)).toEqual([next[0]]);
  });

  it('keeps marking live what was, and marks nothing for a list that only lost entries', () => {
    const shown = markNew(seedList, [{ id: 'jp', date: '2019-07-20', donor: 'Japan' }, ...seedList]);
    const paid = [{ id: 'jp', date: '2019-07-20', donor: 'Japan', status: 'paid' }, seedList[0]!];
    expect(markNew(shown, paid)).toEqual([{ ...paid[0], live: true }, seedList[0]]);
    expect(addedContributions(shown, paid)).toEqual([]);
    expect(markNew(seedList, [seedList[1]!])).toEqual([seedList[1]]);
  });

  it('recognises an entry of a view from before ids were listed by its date and donor', () => {
    const old = seedList.map(({ date, donor }) => ({ date, donor }));
    expect(markNew(old, old).some((entry) => entry.live)).toBe(false);
    expect(addedContributions(old, [{ date: '2019-07-16', donor: 'Japan' }, ...old])).toEqual([{ date: '2019-07-16', donor: 'Japan' }]);
  });

  it('reads an envelope from an SSE message, and nothing else', () => {
    const e = envelope(CONTRIBUTION_EVENTS.recorded, { id: 'f' });
    expect(parseContributionEvent(JSON.stringify(e))).toEqual(e);
    expect(parseContributionEvent('{"type":"operation-view.updated"}')).toBeNull();
    expect(parseContributionEvent('not json')).toBeNull();
  });
});

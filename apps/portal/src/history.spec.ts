import { POPULATION_TYPES } from '@focus/contracts';
import { OperationView } from './api';
import { breakdownTypes, earlierRevisions, figureHistoryUrl, Revision } from './history';
import fixture from './testing/fixtures/kaz-ro-views.json';

const revision = (version: number, value: number | null, recordedAt: string): Revision => ({
  version,
  deleted: value === null,
  state: value === null ? null : { value },
  recordedAt,
});

describe('figure history in the portal', () => {
  it("maps the breakdown's labels, in either language, back to their types by the reference list", () => {
    const views = fixture.views as unknown as Record<string, OperationView>;
    // As GET /reference/population-types names them (apps/api-gateway's reference controller).
    const types = POPULATION_TYPES.map(({ code, label }) => ({ code, name: label }));
    expect(breakdownTypes(views['2018:en']!, 'en', types).map((t) => t.type)).toEqual(['REF', 'ASY', 'RET', 'STA']);
    expect(breakdownTypes(views['2018:fr']!, 'fr', types).map((t) => t.type)).toEqual(['REF', 'ASY', 'RET', 'STA']);
    expect(breakdownTypes(views['2018:en']!, 'en', [])).toEqual([]);
  });

  it('asks for a figure’s history under its public path', () => {
    expect(figureHistoryUrl('KAZ-RO', 2018, 'REF')).toBe('/api/v1/operations/KAZ-RO/population/2018/REF/history?limit=20');
  });

  it('earlier values are those before the one shown, now or as of an instant', () => {
    const revisions = [
      revision(3, 570, '2022-01-01T00:00:00Z'),
      revision(1, 588, '2020-01-01T00:00:00Z'),
      revision(2, null, '2021-01-01T00:00:00Z'),
    ];
    expect(earlierRevisions(revisions).map((r) => r.version)).toEqual([2, 1]);
    expect(earlierRevisions(revisions, '2021-06-01T00:00:00Z').map((r) => r.version)).toEqual([1]);
    expect(earlierRevisions(revisions, '2020-06-01T00:00:00Z')).toEqual([]);
  });

  it('a history ahead of the view: the value the page shows is current, and nothing is earlier than it yet', () => {
    const revisions = [revision(2, 590, '2022-01-01T00:00:00Z'), revision(1, 588, '2020-01-01T00:00:00Z')];
    expect(earlierRevisions(revisions, undefined, 588)).toEqual([]);
    expect(earlierRevisions(revisions, undefined, 590).map((r) => r.version)).toEqual([1]);
    // A value the history doesn't hold (a sum, say) leaves the newest as the one shown.
    expect(earlierRevisions(revisions, undefined, 7).map((r) => r.version)).toEqual([1]);
  });
});

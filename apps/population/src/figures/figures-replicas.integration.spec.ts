import type { Connection } from 'mongoose';
import { EVENTS, PopulationFigureState } from '@focus/contracts';
import { ProblemException, VersionedRepository, WriteResult } from '@focus/service-kit';
import { connectTestDb, testNamespace } from '@focus/testing';
import { FigureDocument, FIGURES, figureSchema } from './figure.models';

// Two replicas of the owner, as two processes would be: each its own connection (its own pool)
// and its own repository, writing one figure at once. The failure this guards against was
// found with two `population` processes on FerretDB: acknowledged writes lost, versions handed
// out twice, two If-Match winners.
describe('figures written through two replicas at once', () => {
  const ns = testNamespace('figures-replicas');
  let connections: Connection[];
  let replicas: Array<VersionedRepository<PopulationFigureState>>;
  const id = 'ZZR:2018:REF';

  const source = { name: 'test', asOf: '2018-12-31' };
  const state = (value: number): PopulationFigureState => ({ operationCode: 'ZZR', year: 2018, type: 'REF', value, source });
  const put = (replica: number, value: number, ifMatch?: number) =>
    replicas[replica].put({ id, subjectCode: 'ZZR', state: state(value) }, { ifMatch, correlationId: `req-${value}` });

  beforeAll(async () => {
    connections = [await connectTestDb(ns), await connectTestDb(ns)];
    replicas = connections.map(
      (connection) =>
        new VersionedRepository<PopulationFigureState>(connection.model<FigureDocument>(FIGURES, figureSchema), (_, next) =>
          next ? EVENTS.populationFigureUpserted : EVENTS.populationFigureDeleted,
        ),
    );
  });

  afterAll(async () => {
    await connections[0]?.dropDatabase().catch(() => undefined);
    await Promise.all(connections.map((c) => c.close()));
  });

  it('gives every acknowledged write its own version and keeps each one, with no version carrying two states', async () => {
    const values = Array.from({ length: 100 }, (_, i) => 1000 + i);
    const results = await Promise.all(values.map((value, i) => put(i % 2, value)));
    expect(results.map((r) => r.status).every((s) => s === 'created' || s === 'updated')).toBe(true);
    const versions = results.map((r) => r.version).sort((a, b) => a - b);
    expect(versions).toEqual(values.map((_, i) => i + 1));

    const revisions = await connections[1].collection(`${FIGURES}_revisions`).find({ key: id }).toArray();
    expect(revisions).toHaveLength(values.length);
    // Each acknowledged (version, value) pair is the one stored under that version.
    const stored = new Map(revisions.map((r) => [r['seq'] as number, (r['state'] as PopulationFigureState).value]));
    for (const [i, result] of results.entries()) expect(stored.get(result.version)).toBe(values[i]);
    // One event per revision, at its version, pending for the relay.
    for (const r of revisions) {
      expect(r['outboxPending']).toBe(true);
      expect(JSON.parse(r['outbox'][0].value).subject.version).toBe(r['seq']);
    }
    // Both replicas read the newest.
    const newest = revisions.find((r) => r['seq'] === values.length);
    for (const replica of replicas) expect(await replica.find(id)).toMatchObject({ version: values.length, state: newest?.['state'] });
  });

  it('lets exactly one of ten If-Match writers of the same version win, in every round', async () => {
    for (let round = 0; round < 3; round++) {
      const current = await replicas[0].find(id);
      const attempts = Array.from({ length: 10 }, (_, i) =>
        put(i % 2, 5000 + round * 10 + i, current?.version).then(
          (result: WriteResult<PopulationFigureState>) => result,
          (error: unknown) => error,
        ),
      );
      const outcomes = await Promise.all(attempts);
      const winners = outcomes.filter((o) => !(o instanceof ProblemException));
      expect(winners).toHaveLength(1);
      expect(outcomes.filter((o) => o instanceof ProblemException).map((o) => (o as ProblemException).getStatus())).toEqual(
        Array(9).fill(412),
      );
      expect((winners[0] as WriteResult<PopulationFigureState>).version).toBe((current?.version ?? 0) + 1);
    }
  });

  it('emits nothing for a write that changes nothing, whichever replica gets it', async () => {
    const current = await replicas[0].find(id);
    const again = await put(1, current?.state.value ?? 0);
    expect(again).toMatchObject({ status: 'unchanged', version: current?.version });
    expect(await connections[0].collection(`${FIGURES}_revisions`).countDocuments({ key: id })).toBe(current?.version);
  });
});

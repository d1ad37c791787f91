import { CommandStartedEvent, Document, MongoClient } from 'mongodb';
import { testInfrastructure, testNamespace } from '@focus/testing';
import { serverTraits } from '../server-traits';
import { Known, revisionId, RevisionDocument, RevisionLog } from './revision-log';

/** A revision appends one token to a list: a lost write would be a token missing from the newest value. */
interface TokenRevision extends RevisionDocument {
  token: string;
  tokens: string[];
}

// Writers on separate connections (each its own pool, as separate processes would have), their
// operations interleaved on the real server: on FerretDB 1.x a conditional update is not atomic
// between them, so only the log's insert under the `_id` index keeps them from losing writes.
describe('RevisionLog between connections on the real server', () => {
  const ns = testNamespace('revision-log');
  const WRITERS = 4;
  const clients: MongoClient[] = [];
  const started: CommandStartedEvent[] = [];

  function logOn(client: MongoClient, name: string): RevisionLog<TokenRevision, string[]> {
    const db = client.db(ns.dbName);
    return new RevisionLog<TokenRevision, string[]>({
      heads: db.collection<Document>(name),
      revisions: db.collection<TokenRevision>(`${name}_revisions`),
      seqField: 'version',
      valueOf: (head) => head['tokens'] as string[],
      fold: (_, revision) => revision.tokens,
      headFields: (_, tokens) => ({ tokens }),
    });
  }

  /** What an owner does: decide on the head, append after it, on a taken seq read forward and decide again. */
  async function write(log: RevisionLog<TokenRevision, string[]>, key: string, token: string): Promise<number> {
    let known: Known<string[]> | undefined = (await log.heads([key])).get(key);
    for (;;) {
      const seq = (known?.seq ?? 0) + 1;
      const tokens = [...(known?.value ?? []), token];
      const revision: TokenRevision = { _id: revisionId(key, seq), key, seq, token, tokens };
      if ((await log.append([revision])).size === 0) {
        await log.settle([{ key, seq, value: tokens }]);
        return seq;
      }
      known = await log.latest(key, known);
    }
  }

  beforeAll(async () => {
    const { mongoUrl } = testInfrastructure();
    for (let i = 0; i < WRITERS; i++) clients.push(await new MongoClient(mongoUrl, { maxPoolSize: 4, monitorCommands: true }).connect());
    clients[0].on('commandStarted', (event) => started.push(event));
  });

  afterAll(async () => {
    await clients[0]
      ?.db(ns.dbName)
      .dropDatabase()
      .catch(() => undefined);
    await Promise.all(clients.map((client) => client.close()));
  });

  it('loses no write and hands out no version twice when writers on four connections race on one key', async () => {
    const logs = clients.map((client) => logOn(client, 'race'));
    const perWriter = 25;
    const seqs = await Promise.all(
      logs.map(async (log, writer) => {
        // Each writer keeps several writes in flight, as a service under load does.
        const mine = Array.from({ length: perWriter }, (_, i) => `w${writer}-${i}`);
        const lanes = [0, 1, 2].map(async (lane) => {
          const got: number[] = [];
          for (let i = lane; i < mine.length; i += 3) got.push(await write(log, 'K', mine[i]));
          return got;
        });
        return (await Promise.all(lanes)).flat();
      }),
    );
    const total = WRITERS * perWriter;
    const acknowledged = seqs.flat().sort((a, b) => a - b);
    expect(acknowledged).toEqual(Array.from({ length: total }, (_, i) => i + 1)); // each its own version

    const db = clients[0].db(ns.dbName);
    const revisions = await db.collection<TokenRevision>('race_revisions').find({ key: 'K' }).sort({ seq: 1 }).toArray();
    expect(revisions.map((r) => r.seq)).toEqual(acknowledged); // 1..n, no gap
    const newest = revisions[revisions.length - 1];
    // Every revision's value is its predecessor's plus its own token: no write was built on a stale value.
    for (let i = 1; i < revisions.length; i++) expect(revisions[i].tokens).toEqual([...revisions[i - 1].tokens, revisions[i].token]);
    expect(new Set(newest.tokens).size).toBe(total);
    // The head converged to the newest revision.
    expect(await db.collection('race').findOne({ _id: 'K' as never })).toMatchObject({ version: total, tokens: newest.tokens });
  });

  it('gives exactly one winner among writers that all start from the same version (If-Match)', async () => {
    const logs = clients.map((client) => logOn(client, 'if-match'));
    await write(logs[0], 'K', 'first');
    for (let round = 0; round < 3; round++) {
      const known = (await logs[0].heads(['K'])).get('K');
      const seq = (known?.seq ?? 0) + 1;
      const attempts = Array.from({ length: 10 }, (_, i) => {
        const token = `r${round}-${i}`;
        const revision: TokenRevision = { _id: revisionId('K', seq), key: 'K', seq, token, tokens: [...(known?.value ?? []), token] };
        return logs[i % WRITERS].append([revision]).then((taken) => taken.size === 0);
      });
      expect((await Promise.all(attempts)).filter(Boolean)).toHaveLength(1);
      const winner = await logs[0].latest('K', known);
      await logs[0].settle([{ key: 'K', ...winner! }]);
    }
  });

  it('moves a head left behind by a writer that died before settling, and never moves one back', async () => {
    const [log, other] = clients.map((client) => logOn(client, 'behind'));
    await write(log, 'K', 'a');
    // Appended, never settled: the head still says version 1.
    await log.append([{ _id: revisionId('K', 2), key: 'K', seq: 2, token: 'b', tokens: ['a', 'b'] }]);
    const db = clients[0].db(ns.dbName);
    expect(await db.collection('behind').findOne({ _id: 'K' as never })).toMatchObject({ version: 1 });
    // A writer reads forward past it,
    expect(await write(other, 'K', 'c')).toBe(3);
    // and repair settles what nobody will write again.
    await log.append([{ _id: revisionId('L', 1), key: 'L', seq: 1, token: 'x', tokens: ['x'] }]);
    await other.repair(['K', 'L']);
    expect(await db.collection('behind').find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'K', version: 3, tokens: ['a', 'b', 'c'] },
      { _id: 'L', version: 1, tokens: ['x'] },
    ]);
    // A late settle of an older revision leaves the newer head alone.
    await log.settle([{ key: 'K', seq: 2, value: ['a', 'b'] }]);
    expect(await db.collection('behind').findOne({ _id: 'K' as never })).toMatchObject({ version: 3, tokens: ['a', 'b', 'c'] });
  });

  it('costs a write the head read, the append and the head write, and on FerretDB one look past the head', async () => {
    const log = logOn(clients[0], 'cost');
    await write(log, 'K', 'a');
    const { ferretdb } = await serverTraits(clients[0].db(ns.dbName).collection('cost'));
    started.length = 0;
    await write(log, 'K', 'b');
    const names = started.filter((e) => String(e.command[e.commandName]).startsWith('cost')).map((e) => e.commandName);
    expect(names).toEqual(ferretdb ? ['find', 'insert', 'update', 'find'] : ['find', 'insert', 'update']);
  });
});

import { MongoClient } from 'mongodb';
import { testInfrastructure, testNamespace } from '@focus/testing';
import { findByIds, serverTraits } from './server-traits';

describe('server traits and findByIds on the real server', () => {
  const ns = testNamespace('server-traits');
  let client: MongoClient;

  beforeAll(async () => {
    client = await new MongoClient(testInfrastructure().mongoUrl).connect();
  });

  afterAll(async () => {
    await client
      .db(ns.dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  });

  it('tells FerretDB from MongoDB as the server reports itself', async () => {
    const collection = client.db(ns.dbName).collection('traits');
    await collection.insertOne({ _id: 'a' as never, version: 1 });
    const info = await client.db('admin').command({ buildInfo: 1 });
    const traits = await serverTraits(collection);
    expect(traits.ferretdb).toBe(Boolean(info['ferretdbVersion']));
    if (!traits.ferretdb) expect(traits.compoundEqualityPushdown).toBe(true);
  });

  it('finds exactly the stored documents among the ids, with the projection, whatever the server', async () => {
    const collection = client.db(ns.dbName).collection<{ _id: string; n: number; outbox: string[] }>('figures');
    await collection.insertMany(Array.from({ length: 30 }, (_, n) => ({ _id: `KAZ-${n}`, n, outbox: ['x'] })));
    const ids = ['KAZ-0', 'KAZ-7', 'missing', 'KAZ-29', 'KAZ-7'];

    const found = await findByIds(collection, ids, { projection: { outbox: 0 }, concurrency: 2 });

    // A repeated id may come back once or twice; the caller keys by _id either way.
    expect([...new Map(found.map((doc) => [doc._id, doc])).values()].sort((a, b) => a.n - b.n)).toEqual([
      { _id: 'KAZ-0', n: 0 },
      { _id: 'KAZ-7', n: 7 },
      { _id: 'KAZ-29', n: 29 },
    ]);
    expect(await findByIds(collection, [])).toEqual([]);
  });
});

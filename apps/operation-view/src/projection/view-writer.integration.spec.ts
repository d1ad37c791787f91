import { Collection, CommandStartedEvent, MongoClient } from 'mongodb';
import { createEvent, entityIds, EventEnvelope, EVENT_TYPES, EVENTS } from '@focus/contracts';
import { MAX_STATEMENTS_PER_COMMAND, MAX_UPDATES_PER_COMMAND, serverTraits } from '@focus/messaging';
import { testInfrastructure, testNamespace } from '@focus/testing';
import { seedEventsFor } from '../testing/seed-events';
import { seedState } from '../testing/seed-state';
import { BUCKETS, ENTITY_BUCKETS, OperationState, stateOf, viewVersion } from './operation-state';
import { decodeView, StoredViewDocument } from './stored-view';
import { BatchResult, ViewWriter, VIEWS_PER_ROUND } from './view-writer';

// "One bulk write per batch", counted on the wire: the driver reports every command it sends
// to the real server, so a write per event could not hide.
describe('ViewWriter on the real server', () => {
  const ns = testNamespace('view-writer');
  const codes = ['OP-A', 'OP-B', 'OP-C'];
  let client: MongoClient;
  let collection: Collection<StoredViewDocument>;
  const started: CommandStartedEvent[] = [];

  /**
   * The commands `work` sent about the views collection, counted by name. Reads are by _id:
   * one `find` in all on MongoDB, one per view on FerretDB (where `$in` scans the collection);
   * writes are what "one bulk write per batch" is about.
   */
  async function commandsOf(work: () => Promise<unknown>): Promise<Record<string, number>> {
    started.length = 0;
    await work();
    const counts: Record<string, number> = {};
    for (const { commandName, command } of started) {
      if (command[commandName] === collection.collectionName) counts[commandName] = (counts[commandName] ?? 0) + 1;
    }
    return counts;
  }

  /** The seed state with every entity one version newer, as after a revision of everything. */
  function revised(code: string): OperationState {
    const state = seedState(code);
    if (state.profile) state.profile.v = 2;
    for (const bucket of ENTITY_BUCKETS) {
      for (const held of Object.values(state[bucket])) held.v = 2;
    }
    return state;
  }

  let ferretdb = false;
  /** Commands for `views` views read or written `perCommand` at a time, in rounds of VIEWS_PER_ROUND views. */
  const perRound = (views: number, perCommand: number) => {
    let commands = 0;
    for (let left = views; left > 0; left -= VIEWS_PER_ROUND) commands += Math.ceil(Math.min(left, VIEWS_PER_ROUND) / perCommand);
    return commands;
  };
  const reads = (views: number) => (ferretdb ? views : perRound(views, Infinity));

  beforeAll(async () => {
    client = new MongoClient(testInfrastructure().mongoUrl, { monitorCommands: true, serverSelectionTimeoutMS: 10_000 });
    await client.connect();
    client.on('commandStarted', (event) => started.push(event));
    collection = client.db(ns.dbName).collection<StoredViewDocument>('operation_views');
    ferretdb = (await serverTraits(collection as never)).ferretdb;
  });

  afterAll(async () => {
    await client.db(ns.dbName).dropDatabase().catch(() => undefined);
    await client.close();
  });

  it('writes a batch of many events for a few new operations with one read and one insert', async () => {
    const events = codes.flatMap((code) => seedEventsFor(seedState(code), code));
    expect(events.length).toBeGreaterThan(20 * codes.length);
    let result: BatchResult | undefined;
    const commands = await commandsOf(async () => (result = await new ViewWriter(collection).applyBatch(events)));
    expect(commands).toEqual({ find: reads(codes.length), insert: 1 });
    expect(new Set(result?.outcomes)).toEqual(new Set(['applied']));
    for (const code of codes) {
      const view = await storedView(code);
      expect(stateOf(view)).toEqual(seedState(code));
      expect(view.version).toBe(viewVersion(seedState(code)));
      // One version to announce per view for the batch, not one per event.
      expect(result?.versions.get(code)?.version).toBe(view.version);
    }
    expect(result?.versions.size).toBe(codes.length);
  });

  it('writes a batch of newer and stale events for the same operations with one read and one update', async () => {
    const newer = codes.flatMap((code) => seedEventsFor(revised(code), code));
    const stale = codes.flatMap((code) => seedEventsFor(seedState(code), code));
    let result: BatchResult | undefined;
    const commands = await commandsOf(async () => (result = await new ViewWriter(collection).applyBatch([...stale, ...newer])));
    expect(commands).toEqual({ find: reads(codes.length), update: Math.ceil(codes.length / MAX_UPDATES_PER_COMMAND) });
    expect(result?.outcomes).toEqual([...stale.map(() => 'skipped'), ...newer.map(() => 'applied')]);
    for (const code of codes) {
      expect(stateOf(await storedView(code))).toEqual(revised(code));
      expect(result?.versions.get(code)?.version).toBe(viewVersion(revised(code)));
    }
  });

  it('writes nothing for a batch that changes nothing, and still names each view it touched at its stored version', async () => {
    const replay = codes.flatMap((code) => seedEventsFor(revised(code), code));
    let result: BatchResult | undefined;
    expect(await commandsOf(async () => (result = await new ViewWriter(collection).applyBatch(replay)))).toEqual({ find: reads(codes.length) });
    // A redelivered batch must announce again: the crash it follows may have come before the announcement.
    expect(new Set(result?.outcomes)).toEqual(new Set(['skipped']));
    expect([...(result?.versions ?? [])]).toEqual(codes.map((code) => [code, { version: viewVersion(revised(code)) }]));
  });

  it('splits a batch over many operations into rounds of a few views and commands of bounded size, not one per event', async () => {
    // Past one command's worth of inserts, and of updates, and past one round, with several events per operation.
    const many = Array.from({ length: Math.max(MAX_STATEMENTS_PER_COMMAND, VIEWS_PER_ROUND) + 5 }, (_, i) => `MANY-${String(i).padStart(2, '0')}`);
    const totals = (version: number) =>
      many.flatMap((code) =>
        [2016, 2017, 2018].map((year): EventEnvelope =>
          createEvent(EVENTS.populationTotalUpserted, {
            subject: { operationCode: code, entityId: entityIds.populationTotal(code, year), version },
            data: { operationCode: code, year, total: year + version, source: { name: 'test', asOf: `${year}-12-31` } },
          }),
        ),
      );
    const inserted = await commandsOf(() => new ViewWriter(collection).applyBatch(totals(1)));
    expect(inserted).toEqual({ find: reads(many.length), insert: perRound(many.length, MAX_STATEMENTS_PER_COMMAND) });
    const updated = await commandsOf(() => new ViewWriter(collection).applyBatch(totals(2)));
    expect(updated).toEqual({ find: reads(many.length), update: perRound(many.length, MAX_UPDATES_PER_COMMAND) });
    const views = (await collection.find({ _id: { $in: many } }).toArray()).map(decodeView);
    expect(views.map((view) => Object.values(view.totals).map((held) => held.s?.total))).toEqual(many.map(() => [2018, 2019, 2020]));
  });

  it('stores each bucket as text and sets only the buckets a batch changed', async () => {
    const code = 'OP-TEXT';
    await new ViewWriter(collection).applyBatch(seedEventsFor(seedState(code), code));
    const stored = await collection.findOne({ _id: code });
    for (const bucket of BUCKETS) expect(typeof stored?.[bucket]).toBe('string');

    const budgetOnly = seedEventsFor(revised(code), code).filter((event) => event.type === EVENT_TYPES.budgetLineUpserted);
    expect(budgetOnly.length).toBeGreaterThan(0);
    started.length = 0;
    await new ViewWriter(collection).applyBatch(budgetOnly);
    const update = started.find((event) => event.commandName === 'update' && event.command.update === collection.collectionName);
    expect(Object.keys(update?.command.updates[0].u.$set).sort()).toEqual(['budget', 'updatedAt', 'version']);
    expect(decodeView((await collection.findOne({ _id: code }))!).budget).toEqual(revised(code).budget);
  });

  it('reads a view stored before buckets were text, and stores all of its buckets as text at its next write', async () => {
    const code = 'OP-OLD';
    const state = seedState(code);
    // As views were stored until then: the state's buckets as objects.
    await collection.insertOne({ _id: code, ...state, version: viewVersion(state), updatedAt: new Date() });
    const newer = seedEventsFor(revised(code), code).filter((event) => event.type === EVENT_TYPES.budgetLineUpserted);
    await new ViewWriter(collection).applyBatch(newer);
    const stored = (await collection.findOne({ _id: code }))!;
    for (const bucket of BUCKETS) expect(typeof stored[bucket]).toBe('string');
    expect(stateOf(decodeView(stored))).toEqual({ ...state, budget: revised(code).budget });
  });

  async function storedView(code: string) {
    const stored = await collection.findOne({ _id: code });
    if (!stored) throw new Error(`no view ${code}`);
    return decodeView(stored);
  }
});

import { Collection, CommandStartedEvent, MongoClient } from 'mongodb';
import { createEvent, entityIds, EventEnvelope, EVENT_TYPES, EVENTS } from '@focus/contracts';
import { MAX_STATEMENTS_PER_COMMAND, MAX_UPDATES_PER_COMMAND, revisionsOf, serverTraits } from '@focus/messaging';
import { testInfrastructure, testNamespace } from '@focus/testing';
import { seedEventsFor } from '../testing/seed-events';
import { seedState } from '../testing/seed-state';
import { BUCKETS, ENTITY_BUCKETS, OperationState, stateOf, viewVersion } from './operation-state';
import { decodeView, StoredViewDocument } from './stored-view';
import { BatchResult, ViewRevision, ViewWriter, VIEWS_PER_ROUND } from './view-writer';

// "One bulk write per batch", counted on the wire: the driver reports every command it sends
// to the real server, so a write per event could not hide.
describe('ViewWriter on the real server', () => {
  const ns = testNamespace('view-writer');
  const codes = ['OP-A', 'OP-B', 'OP-C'];
  let client: MongoClient;
  let collection: Collection<StoredViewDocument>;
  let revisions: Collection<ViewRevision>;
  const started: CommandStartedEvent[] = [];
  const writer = () => new ViewWriter(collection, revisions);

  /**
   * The commands `work` sent about the views collection (`find`, `update`) and their revisions
   * (`revisions.insert`, `revisions.find`), counted by name. Reads are by _id: one `find` in all
   * on MongoDB, one per view on FerretDB (where `$in` scans the collection); writes are what
   * "one bulk write per batch" is about.
   */
  async function commandsOf(work: () => Promise<unknown>): Promise<Record<string, number>> {
    started.length = 0;
    await work();
    const counts: Record<string, number> = {};
    for (const { commandName, command } of started) {
      const target = command[commandName];
      const name =
        target === collection.collectionName ? commandName : target === revisions.collectionName ? `revisions.${commandName}` : undefined;
      if (name) counts[name] = (counts[name] ?? 0) + 1;
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
    revisions = client.db(ns.dbName).collection<ViewRevision>(revisionsOf('operation_views'));
    ferretdb = (await serverTraits(collection as never)).ferretdb;
  });

  afterAll(async () => {
    await client
      .db(ns.dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  });

  /**
   * A batch's commands for `views` views that it changes: read the heads, append a revision
   * each, write the heads, and on FerretDB (whose conditional update is not atomic) look one past each.
   */
  const changing = (views: number) => ({
    find: reads(views),
    update: perRound(views, MAX_UPDATES_PER_COMMAND),
    'revisions.insert': perRound(views, MAX_STATEMENTS_PER_COMMAND),
    ...(ferretdb ? { 'revisions.find': reads(views) } : {}),
  });

  it('writes a batch of many events for a few new operations with one read, one append and one head write per view', async () => {
    const events = codes.flatMap((code) => seedEventsFor(seedState(code), code));
    expect(events.length).toBeGreaterThan(20 * codes.length);
    let result: BatchResult | undefined;
    const commands = await commandsOf(async () => (result = await writer().applyBatch(events)));
    expect(commands).toEqual(changing(codes.length));
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

  it('writes a batch of newer and stale events for the same operations with one read, one append and one head write per view', async () => {
    const newer = codes.flatMap((code) => seedEventsFor(revised(code), code));
    const stale = codes.flatMap((code) => seedEventsFor(seedState(code), code));
    let result: BatchResult | undefined;
    const commands = await commandsOf(async () => (result = await writer().applyBatch([...stale, ...newer])));
    expect(commands).toEqual(changing(codes.length));
    expect(result?.outcomes).toEqual([...stale.map(() => 'skipped'), ...newer.map(() => 'applied')]);
    for (const code of codes) {
      expect(stateOf(await storedView(code))).toEqual(revised(code));
      expect(result?.versions.get(code)?.version).toBe(viewVersion(revised(code)));
    }
  });

  it('writes nothing for a batch that changes nothing, and still names each view it touched at its stored version', async () => {
    const replay = codes.flatMap((code) => seedEventsFor(revised(code), code));
    let result: BatchResult | undefined;
    expect(await commandsOf(async () => (result = await writer().applyBatch(replay)))).toEqual({ find: reads(codes.length) });
    // A redelivered batch must announce again: the crash it follows may have come before the announcement.
    expect(new Set(result?.outcomes)).toEqual(new Set(['skipped']));
    expect([...(result?.versions ?? [])]).toEqual(codes.map((code) => [code, { version: viewVersion(revised(code)) }]));
  });

  it('splits a batch over many operations into rounds of a few views and commands of bounded size, not one per event', async () => {
    // Past one command's worth of inserts, and of updates, and past one round, with several events per operation.
    const many = Array.from(
      { length: Math.max(MAX_STATEMENTS_PER_COMMAND, VIEWS_PER_ROUND) + 5 },
      (_, i) => `MANY-${String(i).padStart(2, '0')}`,
    );
    const totals = (version: number) =>
      many.flatMap((code) =>
        [2016, 2017, 2018].map(
          (year): EventEnvelope =>
            createEvent(EVENTS.populationTotalUpserted, {
              subject: { operationCode: code, entityId: entityIds.populationTotal(code, year), version },
              data: { operationCode: code, year, total: year + version, source: { name: 'test', asOf: `${year}-12-31` } },
            }),
        ),
      );
    const inserted = await commandsOf(() => writer().applyBatch(totals(1)));
    expect(inserted).toEqual(changing(many.length));
    const updated = await commandsOf(() => writer().applyBatch(totals(2)));
    expect(updated).toEqual(changing(many.length));
    const views = (await collection.find({ _id: { $in: many } }).toArray()).map(decodeView);
    expect(views.map((view) => Object.values(view.totals).map((held) => held.s?.total))).toEqual(many.map(() => [2018, 2019, 2020]));
  });

  it('stores each bucket as text, and a revision holds only what its batch changed', async () => {
    const code = 'OP-TEXT';
    await writer().applyBatch(seedEventsFor(seedState(code), code));
    const stored = await collection.findOne({ _id: code });
    for (const bucket of BUCKETS) expect(typeof stored?.[bucket]).toBe('string');
    expect(stored?.revision).toBe(1);

    const budgetOnly = seedEventsFor(revised(code), code).filter((event) => event.type === EVENT_TYPES.budgetLineUpserted);
    expect(budgetOnly.length).toBeGreaterThan(0);
    await writer().applyBatch(budgetOnly);
    const revision = await revisions.findOne({ _id: `${code}@2` });
    expect(Object.keys(JSON.parse(revision!.changes))).toEqual(['budget']);
    expect(JSON.parse(revision!.changes).budget).toEqual(revised(code).budget);
    const head = (await collection.findOne({ _id: code }))!;
    expect(head.revision).toBe(2);
    expect(decodeView(head).budget).toEqual(revised(code).budget);
  });

  it('loses no change when writers on separate connections write the same views at once, and ends as one writer would', async () => {
    // Each view is fed by several topics, whose partitions two aggregators can hold: here one
    // writes the newer budget lines and the other the newer figures, of the same views, in rounds.
    const racing = ['RACE-A', 'RACE-B'];
    const clients = await Promise.all(
      [0, 1].map(() => new MongoClient(testInfrastructure().mongoUrl, { serverSelectionTimeoutMS: 10_000 }).connect()),
    );
    try {
      const writers = clients.map(
        (c) => new ViewWriter(c.db(ns.dbName).collection('race_views'), c.db(ns.dbName).collection(revisionsOf('race_views'))),
      );
      const all = racing.flatMap((code) => seedEventsFor(seedState(code), code));
      await writers[0].applyBatch(all);
      const newer = racing.flatMap((code) => seedEventsFor(revised(code), code));
      const isFigure = (e: EventEnvelope) => e.type === EVENT_TYPES.populationFigureUpserted;
      const halves = [newer.filter((e) => !isFigure(e)), newer.filter(isFigure)];
      expect(halves[1].length).toBeGreaterThan(0);
      // One event at a time from each side, so the writes interleave.
      const lanes = halves.map(async (half, side) => {
        for (const event of half) await writers[side].applyBatch([event]);
      });
      await Promise.all(lanes);
      const stored = await clients[0].db(ns.dbName).collection<StoredViewDocument>('race_views').find().sort({ _id: 1 }).toArray();
      const alone = racing.map((code) => revised(code));
      expect(stored.map((doc) => stateOf(decodeView(doc)))).toEqual(alone);
      expect(stored.map((doc) => doc.version)).toEqual(alone.map(viewVersion));
      // Revisions 1..n with no gap, and the head at the newest.
      const log = await clients[0].db(ns.dbName).collection<ViewRevision>(revisionsOf('race_views')).find().toArray();
      for (const doc of stored) {
        const seqs = log
          .filter((r) => r.key === doc._id)
          .map((r) => r.seq)
          .sort((a, b) => a - b);
        expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
        expect(doc.revision).toBe(seqs.length);
      }
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it('completes the write of an aggregator that died between its revision and its head, when the batch comes again', async () => {
    const code = 'OP-DIED';
    await writer().applyBatch(seedEventsFor(seedState(code), code));
    const budget = seedEventsFor(revised(code), code).filter((event) => event.type === EVENT_TYPES.budgetLineUpserted);
    // What the dead aggregator left: the revision after the head, and the head as it was.
    const changes = { budget: Object.fromEntries(budget.map((e) => [e.subject.entityId, { v: e.subject.version, s: e.data }])) };
    await revisions.insertOne({ _id: `${code}@2`, key: code, seq: 2, changes: JSON.stringify(changes), recordedAt: new Date() });
    expect((await collection.findOne({ _id: code }))?.revision).toBe(1);
    // Redelivered (its offsets were never committed): applied on the newest revision, nothing new to append.
    const result = await writer().applyBatch(budget);
    expect(new Set(result.outcomes)).toEqual(new Set(['skipped']));
    const head = (await collection.findOne({ _id: code }))!;
    expect(head.revision).toBe(2);
    expect(decodeView(head).budget).toEqual(revised(code).budget);
    expect(result.versions.get(code)?.version).toBe(head.version);
    expect(await revisions.countDocuments({ key: code })).toBe(2);
  });

  it('reads a view stored before buckets were text, and stores all of its buckets as text at its next write', async () => {
    const code = 'OP-OLD';
    const state = seedState(code);
    // As views were stored until then: the state's buckets as objects.
    await collection.insertOne({ _id: code, ...state, version: viewVersion(state), updatedAt: new Date() });
    const newer = seedEventsFor(revised(code), code).filter((event) => event.type === EVENT_TYPES.budgetLineUpserted);
    await writer().applyBatch(newer);
    const stored = (await collection.findOne({ _id: code }))!;
    for (const bucket of BUCKETS) expect(typeof stored[bucket]).toBe('string');
    expect(stateOf(decodeView(stored))).toEqual({ ...state, budget: revised(code).budget });
    expect(stored.revision).toBe(1); // its first revision: what it held before counts as revision 0
  });

  async function storedView(code: string) {
    const stored = await collection.findOne({ _id: code });
    if (!stored) throw new Error(`no view ${code}`);
    return decodeView(stored);
  }
});

import { eventually } from '@focus/testing';
import { FaultStack, startFaultStack, viewJson } from './fault-stack';
import {
  aggregatorCaughtUp,
  Answer,
  budgetLine,
  ContendedEntity,
  heldBySubscriber,
  inPool,
  missingVersions,
  ownerState,
  populationFigure,
  putWithFailover,
  rebuildViews,
  subscribe,
  versionsWithTwoStates,
  ViewPage,
  viewsFrom,
} from './replica-writes';

// Issue 22, item 5: replicas on the real stack. Two processes of every owner and two
// aggregators, on one database and one consumer group each; writes race on the same entities
// through both owner replicas while one owner replica and one aggregator are SIGKILLed and
// started again. Nothing acknowledged may be lost or share a version, nothing refused may be
// published, If-Match has one winner, the topics carry each version once in effect, and the
// views equal a rebuild. A writer that keeps losing the race may be told 409 (retry): that is
// honest, so it is allowed, as long as it changed nothing and most writes land. No gateway:
// the writes go to the owners' own ports, so the proof does not rest on the gateway's lists.
describe('faults: two replicas of every owner and two aggregators', () => {
  let f: FaultStack;
  const OWNERS = ['population', 'budget', 'narratives', 'contributions'] as const;

  beforeAll(async () => {
    // Ten processes start on two cores: each may take longer than alone.
    f = await startFaultStack('faults-replicas', { apps: [...OWNERS, 'operation-view'], replicas: 2, readyTimeoutMs: 180_000 });
  }, 480_000);
  afterAll(async () => f?.close());

  interface Write extends Answer {
    entity: ContendedEntity;
    value: number;
  }

  const acknowledged = (w: Answer) => w.status >= 200 && w.status < 300;

  /** Write i of a value of its own, to the replica its turn names (the other, if that one is down). */
  const writeTo = (entity: ContendedEntity, value: number, turn: number, headers: Record<string, string> = {}): Promise<Write> => {
    const urls = f.stack.replicaUrls(entity.owner);
    return putWithFailover(urls, turn % urls.length, entity.path, entity.body(value), headers).then((answer) => ({
      ...answer,
      entity,
      value,
    }));
  };

  /** The view pages, read until each shows what the owners hold; then equal to a rebuild, on every aggregator replica. */
  async function expectViewsEqualRebuild(
    pages: Array<[string, number]>,
    shows: (code: string, year: number, view: ViewPage) => boolean,
  ): Promise<void> {
    await aggregatorCaughtUp(f, 180_000);
    for (const [code, year] of pages) {
      await eventually(
        async () => {
          const json = await viewJson(f.stack, code, year);
          return json && shows(code, year, JSON.parse(json) as ViewPage) ? true : undefined;
        },
        120_000,
        `the view of ${code} ${year} showing what its owners hold`,
      );
    }
    const before = await viewsFrom(f, 0, pages);
    await rebuildViews(f, 180_000);
    const replicas = f.stack.replicaUrls('operation-view').length;
    for (let replica = 0; replica < replicas; replica++) {
      // Another replica reads the swapped pointer on its next query: the same views, from the same collection.
      const after = await eventually(
        async () => {
          const views = await viewsFrom(f, replica, pages);
          return [...views.values()].every((json) => json !== undefined) ? views : undefined;
        },
        60_000,
        `the rebuilt views on aggregator replica ${replica}`,
      );
      expect({ replica, views: Object.fromEntries(after) }).toEqual({ replica, views: Object.fromEntries(before) });
    }
  }

  it('writes racing over both owner replicas, a replica and an aggregator killed midway: nothing lost, a state per version, one If-Match winner', async () => {
    const entities = [
      populationFigure('ZZR', 2018, 'REF'),
      populationFigure('ZZR', 2018, 'ASY'),
      populationFigure('ZZR', 2019, 'REF'),
      budgetLine('ZZR', 2018, 1),
    ];
    const WRITES = 240;
    const CONCURRENCY = 16;
    const third = WRITES / 3;
    // Write i: entity i mod 4, value 10 000 + i (every write's own), replicas in turn per entity.
    const write = (i: number) => writeTo(entities[i % entities.length], 10_000 + i, Math.floor(i / entities.length));

    const writes: Write[] = await inPool(third, CONCURRENCY, write);
    // The second third: one population replica and one aggregator SIGKILLed once 8 of them are
    // answered, the rest going on (the client tries the surviving replica); then both start again.
    let answered = 0;
    let crash: Promise<unknown> | undefined;
    writes.push(
      ...(await inPool(third, CONCURRENCY, async (j) => {
        const answer = await write(third + j);
        if (++answered === 8) crash = Promise.all([f.stack.kill('population', 'SIGKILL', 1), f.stack.kill('operation-view', 'SIGKILL', 1)]);
        return answer;
      })),
    );
    await crash;
    expect([f.stack.running('population', 1), f.stack.running('operation-view', 1)]).toEqual([false, false]);
    await Promise.all([f.stack.start('population', 1), f.stack.start('operation-view', 1)]);
    writes.push(...(await inPool(WRITES - 2 * third, CONCURRENCY, (j) => write(2 * third + j))));

    // If-Match with the version the owner holds, from ten requests at once over both replicas: one winner.
    const ifMatchRounds: Array<{ entity: string; round: number; version: number; winners: number[]; others: number[] }> = [];
    for (const entity of [entities[0], entities[3]]) {
      for (let round = 0; round < 3; round++) {
        const { version } = await ownerState(f, entity);
        const answers = await Promise.all(
          Array.from({ length: 10 }, (_, k) => {
            const value = 50_000 + 100 * round + k + (entity === entities[0] ? 0 : 1_000);
            return writeTo(entity, value, k, { 'if-match': `"${version}"` });
          }),
        );
        writes.push(...answers);
        const winners = answers.filter(acknowledged);
        const others = [...new Set(answers.filter((a) => !acknowledged(a)).map((a) => a.status))];
        ifMatchRounds.push({ entity: entity.entityId, round, version, winners: winners.map((w) => w.version!), others });
      }
    }

    // What a subscriber of the topics receives, up to the version each owner holds.
    const received = await subscribe(f, entities);
    const findings = await Promise.all(
      entities.map(async (entity) => {
        const events = received.get(entity.entityId)!;
        const mine = writes.filter((w) => w.entity === entity && acknowledged(w));
        // A refusal whose request reached only one replica, which answered it: it must have stored nothing.
        const refusedHere = writes.filter((w) => w.entity === entity && !acknowledged(w) && !w.failedOver);
        const versions = mine.map((w) => w.version!);
        const owner = await ownerState(f, entity);
        const held = heldBySubscriber(events);
        return {
          entity: entity.entityId,
          versionsAcknowledgedTwice: [...new Set(versions.filter((v, i) => versions.indexOf(v) !== i))],
          acknowledgedNotPublishedAsWritten: mine
            .filter(
              (w) => !events.some((e) => e.version === w.version) || events.some((e) => e.version === w.version && e.value !== w.value),
            )
            .map((w) => `v${w.version}=${w.value}`),
          refusedButPublished: refusedHere.filter((w) => events.some((e) => e.value === w.value)).map((w) => `${w.value}: ${w.status}`),
          missingVersions: missingVersions(events),
          versionsWithTwoStates: versionsWithTwoStates(events),
          subscriberHoldsOwnersState: held?.version === owner.version && held.value === owner.value,
        };
      }),
    );
    // 412 (If-Match lost) and 409 (lost the race too often) are honest refusals; anything else is not.
    const refused = writes.filter((w) => w.status === 0 || (w.status >= 300 && w.status !== 412 && w.status !== 409));
    const unanswered = refused.map((w) => `${w.entity.entityId}=${w.value}: ${w.status} ${w.error ?? ''}`);
    // Everything at once, so that a failure shows every way the write path went wrong.
    expect({ unanswered, findings, ifMatchRounds }).toEqual({
      unanswered: [],
      findings: entities.map((entity) => ({
        entity: entity.entityId,
        versionsAcknowledgedTwice: [],
        acknowledgedNotPublishedAsWritten: [],
        refusedButPublished: [],
        missingVersions: [],
        versionsWithTwoStates: [],
        subscriberHoldsOwnersState: true,
      })),
      ifMatchRounds: ifMatchRounds.map((r) => ({ ...r, winners: [r.version + 1], others: [412] })),
    });
    // The race was run, not refused: most plain writes landed.
    const landed = writes.slice(0, WRITES).filter(acknowledged).length;
    expect({ landed, ofWrites: WRITES, atLeastThreeQuarters: landed >= (3 * WRITES) / 4 }).toEqual({
      landed,
      ofWrites: WRITES,
      atLeastThreeQuarters: true,
    });

    const owners = new Map<ContendedEntity, number>();
    for (const entity of entities) owners.set(entity, (await ownerState(f, entity)).value);
    const pages: Array<[string, number]> = [...new Set(entities.map((e) => e.page.join(' ')))].map((p) => [
      p.split(' ')[0],
      Number(p.split(' ')[1]),
    ]);
    await expectViewsEqualRebuild(pages, (code, year, view) =>
      entities.filter((e) => e.page[0] === code && e.page[1] === year).every((e) => e.shownIn(view) === owners.get(e)),
    );
  });

  it('an aggregator rebalance under load (one SIGKILLed and started again, one added) leaves every view equal to a rebuild', async () => {
    const codes = Array.from({ length: 8 }, (_, i) => `RB-${String(i).padStart(2, '0')}`);
    const YEARS = [2000, 2001, 2002];
    const MAX_ROUNDS = 150;
    // (code, year) → the value of its last acknowledged write: one write per code per round, so in order.
    const latest = new Map<string, number>();
    const refused: string[] = [];
    let rounds = 0;
    let disturbed = false;

    const disturbance = (async () => {
      await eventually(async () => (rounds >= 3 ? true : undefined), 120_000, 'the first writes');
      await f.stack.kill('operation-view', 'SIGKILL', 0);
      await f.stack.start('operation-view', 0);
      await f.stack.addReplica('operation-view');
    })().finally(() => (disturbed = true));

    // Rounds go on until the disturbance is over, then three more, all bounded.
    let after = 0;
    for (; rounds < MAX_ROUNDS && after < 3; rounds++) {
      if (disturbed) after++;
      const year = YEARS[rounds % YEARS.length];
      await Promise.all(
        codes.map(async (code, c) => {
          const value = 100 * (rounds + 1) + c;
          const answer = await writeTo(populationFigure(code, year, 'REF'), value, rounds + c);
          if (acknowledged(answer)) latest.set(`${code} ${year}`, value);
          else refused.push(`${code} ${year}=${value}: ${answer.status} ${answer.error ?? ''}`);
        }),
      );
      // A steady load, not a flood: two cores run these twelve processes and the spec.
      await new Promise((r) => setTimeout(r, 250));
    }
    await disturbance;
    expect(f.stack.replicaUrls('operation-view')).toHaveLength(3);
    expect(refused).toEqual([]);

    const pages = codes.flatMap((code) => YEARS.map((year): [string, number] => [code, year]));
    await expectViewsEqualRebuild(
      pages,
      (code, year, view) => populationFigure(code, year, 'REF').shownIn(view) === latest.get(`${code} ${year}`),
    );
  });
});

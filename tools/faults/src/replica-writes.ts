import { entityIds, POPULATION_TYPES, TOPICS } from '@focus/contracts';
import { eventually, readTopic } from '@focus/testing';
import { DOMAIN_TOPICS } from './domain-writes';
import { canonical, FaultStack, viewJson } from './fault-stack';

/*
 * Writes sent straight to the owners' replicas (not through the gateway), as a client that
 * spreads its requests over them and, when one is down, tries the next; and what the owners'
 * topics say about those writes afterwards, read by a subscriber of their own.
 */

/** One entity many writers race on: where to PUT it, and how its state shows the value written. */
export interface ContendedEntity {
  owner: 'population' | 'budget';
  topic: string;
  entityId: string;
  path: string;
  body(value: number): unknown;
  /** The value a state (an event's data, an owner's list item) holds. */
  valueOf(state: Record<string, unknown>): number;
  /** The entity's item in the owner's list (`GET` of the collection path), with its version. */
  find(list: Record<string, unknown>): Record<string, unknown> | undefined;
  /** The view page (operation, year) that shows the entity, and the value it shows there. */
  page: [string, number];
  shownIn(view: ViewPage): number | undefined;
}

/** What these specs read of a view page. */
export interface ViewPage {
  peopleOfConcern: { breakdown: Array<[string, number]> };
  budget: { categories: number[]; budgetByPillar: Record<string, Array<number | null>> };
}

export function populationFigure(code: string, year: number, type: 'REF' | 'ASY'): ContendedEntity {
  const label = POPULATION_TYPES.find((t) => t.code === type)?.label.en;
  return {
    owner: 'population',
    topic: TOPICS.population,
    entityId: entityIds.populationFigure(code, year, type),
    path: `/operations/${code}/population/${year}/${type}`,
    body: (value) => ({ value }),
    valueOf: (state) => state['value'] as number,
    find: (list) => (list['figures'] as Array<Record<string, unknown>>).find((f) => f['year'] === year && f['type'] === type),
    page: [code, year],
    shownIn: (view) => view.peopleOfConcern.breakdown.find(([shown]) => shown === label)?.[1],
  };
}

export function budgetLine(code: string, year: number, pillar: 1 | 2 | 3 | 4): ContendedEntity {
  return {
    owner: 'budget',
    topic: TOPICS.budget,
    entityId: entityIds.budgetLine(code, year, pillar),
    path: `/operations/${code}/budget/${year}/pillars/${pillar}`,
    body: (value) => ({ budgetUsd: value }),
    valueOf: (state) => (state['budgetCents'] as number) / 100,
    find: (list) => (list['lines'] as Array<Record<string, unknown>>).find((l) => l['year'] === year && l['pillar'] === pillar),
    page: [code, year],
    shownIn: (view) => {
      const millions = view.budget.budgetByPillar[`p${pillar}`]?.[view.budget.categories.indexOf(year)];
      return typeof millions === 'number' ? Math.round(millions * 1e6) : undefined;
    },
  };
}

/** Where the owner lists the entity's collection: `/operations/<code>/<owner>`. */
function listPath(entity: ContendedEntity): string {
  return `/operations/${entity.page[0]}/${entity.owner}`;
}

export interface Answer {
  status: number;
  /** The ETag's version, when the answer had one. */
  version?: number;
  /** Which replica answered (or was tried first, when none did). */
  replica: number;
  /** Answered by another replica than the first tried: the first may have stored it before it went. */
  failedOver: boolean;
  error?: string;
}

/**
 * A PUT to replica `first` of `urls`; a connection that fails (a replica down, or killed with
 * the request in flight) is tried on the next one, as the gateway does. A request retried that
 * way may have been stored already: a second store of the same value is then a write of its own.
 */
export async function putWithFailover(
  urls: string[],
  first: number,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  let error = '';
  for (let attempt = 0; attempt < urls.length; attempt++) {
    const replica = (first + attempt) % urls.length;
    try {
      const response = await fetch(`${urls[replica]}${path}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      await response.arrayBuffer();
      const etag = /"(\d+)"/.exec(response.headers.get('etag') ?? '');
      return { status: response.status, version: etag ? Number(etag[1]) : undefined, replica, failedOver: attempt > 0 };
    } catch (e) {
      error = e instanceof Error ? `${e.message} ${String((e as { cause?: unknown }).cause ?? '')}` : String(e);
    }
  }
  return { status: 0, replica: first, failedOver: true, error };
}

/** Runs `task(0..count-1)` with at most `concurrency` in flight, answers in index order. */
export async function inPool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** The entity's version and state as its owner holds it now. */
export async function ownerState(f: FaultStack, entity: ContendedEntity): Promise<{ version: number; value: number }> {
  const url = f.stack.replicaUrls(entity.owner)[0];
  const response = await fetch(`${url}${listPath(entity)}`);
  if (response.status !== 200) throw new Error(`GET ${listPath(entity)}: ${response.status} ${await response.text()}`);
  const item = entity.find((await response.json()) as Record<string, unknown>);
  if (!item) throw new Error(`${entity.entityId} is not in its owner's list`);
  return { version: item['version'] as number, value: entity.valueOf(item) };
}

export interface Published {
  version: number;
  /** The state as canonical JSON, and the value it holds. */
  state: string;
  value: number;
}

/**
 * What a subscriber receives of each entity: a kafkajs consumer of its own reads the topics
 * from the beginning until, for every entity, it has the version the owner holds (and so, if
 * nothing is missing, every version before it).
 */
export async function subscribe(f: FaultStack, entities: ContendedEntity[], timeoutMs = 90_000): Promise<Map<string, Published[]>> {
  const wanted = new Map<string, number>();
  for (const entity of entities) wanted.set(entity.entityId, (await ownerState(f, entity)).version);
  const received = new Map<string, Published[]>(entities.map((e) => [e.entityId, []]));
  const of = (entityId: string) => received.get(entityId) ?? [];
  for (const topic of new Set(entities.map((e) => e.topic))) {
    const mine = entities.filter((e) => e.topic === topic);
    const byId = new Map(mine.map((e) => [e.entityId, e]));
    await readTopic(
      f.kafka,
      f.ns.topic(topic),
      (messages) => {
        const last = messages[messages.length - 1];
        const event = JSON.parse(last.value ?? '{}') as {
          subject: { entityId: string; version: number };
          data: Record<string, unknown> | null;
        };
        const entity = byId.get(event.subject.entityId);
        if (entity && event.data) {
          of(entity.entityId).push({ version: event.subject.version, state: canonical(event.data), value: entity.valueOf(event.data) });
        }
        return mine.every((e) => of(e.entityId).some((p) => p.version >= (wanted.get(e.entityId) ?? Infinity)));
      },
      timeoutMs,
    );
  }
  return received;
}

/** The versions that arrived with more than one state: what two subscribers could disagree on. */
export function versionsWithTwoStates(events: Published[]): Array<{ version: number; values: number[] }> {
  const states = new Map<number, Map<string, number>>();
  for (const event of events) {
    const byState = states.get(event.version) ?? new Map<string, number>();
    byState.set(event.state, event.value);
    states.set(event.version, byState);
  }
  return [...states.entries()]
    .filter(([, byState]) => byState.size > 1)
    .map(([version, byState]) => ({ version, values: [...byState.values()] }));
}

/** The versions between 1 and the highest that never arrived. */
export function missingVersions(events: Published[]): number[] {
  const seen = new Set(events.map((e) => e.version));
  const highest = Math.max(0, ...seen);
  return Array.from({ length: highest }, (_, i) => i + 1).filter((version) => !seen.has(version));
}

/** What a subscriber that applies only newer versions ends up holding. */
export function heldBySubscriber(events: Published[]): Published | undefined {
  let held: Published | undefined;
  for (const event of events) if (!held || event.version > held.version) held = event;
  return held;
}

/**
 * Waits until the aggregator's consumer group has committed every source partition up to its
 * end: the views then hold every event published so far.
 */
export async function aggregatorCaughtUp(f: FaultStack, timeoutMs: number): Promise<void> {
  const groupId = `${f.ns.topicPrefix}operation-view`;
  const topics = DOMAIN_TOPICS.map((t) => f.ns.topic(t));
  const admin = f.kafka.admin();
  await admin.connect();
  try {
    await eventually(
      async () => {
        const existing = new Set(await admin.listTopics());
        const present = topics.filter((t) => existing.has(t));
        const committed = await admin.fetchOffsets({ groupId, topics: present });
        for (const topic of present) {
          const ends = await admin.fetchTopicOffsets(topic);
          const done = committed.find((c) => c.topic === topic)?.partitions ?? [];
          for (const end of ends) {
            const at = done.find((p) => p.partition === end.partition)?.offset ?? '-1';
            if (Number(end.high) > 0 && Number(at) < Number(end.high)) return undefined;
          }
        }
        return true;
      },
      timeoutMs,
      'the aggregator group committed every source partition to its end',
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Asks one aggregator replica for a rebuild (a fresh replay of every topic, swapped in) and
 * waits until it is done; then every replica must serve the rebuilt views.
 */
export async function rebuildViews(f: FaultStack, timeoutMs: number): Promise<void> {
  const aggregator = f.stack.replicaUrls('operation-view')[0];
  const started = await fetch(`${aggregator}/admin/rebuild`, { method: 'POST' });
  if (started.status !== 202) throw new Error(`POST /admin/rebuild: ${started.status} ${await started.text()}`);
  await eventually(
    async () => {
      const body = (await (await fetch(`${aggregator}/admin/rebuild`)).json()) as { phase: string };
      if (body.phase === 'failed') throw new Error(`rebuild failed: ${JSON.stringify(body)}`);
      return body.phase === 'done' ? body : undefined;
    },
    timeoutMs,
    'rebuild done',
  );
}

/** The views (code, year) as canonical JSON, from the given aggregator replica. */
export async function viewsFrom(f: FaultStack, replica: number, pages: Array<[string, number]>): Promise<Map<string, string | undefined>> {
  const views = new Map<string, string | undefined>();
  const url = f.stack.replicaUrls('operation-view')[replica];
  for (const [code, year] of pages) views.set(`${code} ${year}`, await viewJson(f.stack, code, year, url));
  return views;
}

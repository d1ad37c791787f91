import { InfraError } from '../../infra/src/errors';
import { sleep } from '../../infra/src/processes';

export type View = Record<string, unknown> & { meta: { version: number } };

/** The operation's view once the aggregator has applied `version` events (each write adds one). */
export async function settledView(gatewayUrl: string, code: string, year: number, version: number, timeoutMs = 180_000): Promise<View> {
  const url = `${gatewayUrl}/api/v1/operations/${code}?year=${year}`;
  const deadline = Date.now() + timeoutMs;
  let seen = 'no answer';
  for (;;) {
    const response = await fetch(url).catch(() => undefined);
    if (response?.status === 200) {
      const view = (await response.json()) as View;
      if (view.meta.version === version) return view;
      seen = `version ${view.meta.version}`;
      if (view.meta.version > version)
        throw new InfraError(`${url} is at version ${view.meta.version}, past the ${version} writes made: a write was applied twice.`);
    } else if (response) seen = `HTTP ${response.status}`;
    if (Date.now() > deadline)
      throw new InfraError(`${url} did not reach version ${version} within ${timeoutMs / 1000} s (last: ${seen}).`);
    await sleep(500);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

/**
 * A view with what differs between two loads of the same data blanked: ids minted at write
 * time (uuid v7) and timestamps. Everything the page shows stays.
 */
export function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, comparable(item)]));
  if (typeof value === 'string' && UUID.test(value)) return '<uuid>';
  if (typeof value === 'string' && TIMESTAMP.test(value)) return '<timestamp>';
  return value;
}

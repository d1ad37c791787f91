import { EVENTS } from '../events/event-definitions';

/** Test support: marks a property to delete in `exampleWith`. */
export const REMOVED = Symbol('removed');

/**
 * Test support: a deep copy of an event's example, as plain JSON, with properties changed by
 * path (`data.items[2].unit`). Each spec case breaks one thing, so a failure has one cause.
 */
export function exampleWith(name: keyof typeof EVENTS, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const event = JSON.parse(JSON.stringify(EVENTS[name].example)) as Record<string, unknown>;
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
    const last = keys.pop() as string;
    let parent = event;
    for (const key of keys) parent = parent[key] as Record<string, unknown>;
    if (value === REMOVED) delete parent[last];
    else parent[last] = value;
  }
  return event;
}

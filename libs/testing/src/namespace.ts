import { randomBytes } from 'node:crypto';

export interface TestNamespace {
  /** Prefix every topic a suite creates, e.g. `t.smoke-7f3a.`. */
  topicPrefix: string;
  /** A database of the suite's own. */
  dbName: string;
  /** Consumer group ids stay unique too, or suites would steal each other's partitions. */
  groupId(name: string): string;
  topic(name: string): string;
}

/**
 * Every suite gets its own topics, consumer groups and database, so suites running side by
 * side on one broker and one server never see each other's data.
 */
export function testNamespace(suite: string): TestNamespace {
  const slug = suite
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 24);
  const id = `${slug}-${randomBytes(3).toString('hex')}`;
  const topicPrefix = `t.${id}.`;
  return {
    topicPrefix,
    dbName: `test_${id.replace(/-/g, '_')}`,
    groupId: (name) => `${topicPrefix}${name}`,
    topic: (name) => `${topicPrefix}${name}`,
  };
}

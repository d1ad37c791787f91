import { ConfigError, kafkaReplication, loadConfig, ServiceConfig } from './config/service-config';
import { isOperationalPath } from './health/health.controller';
import { ContentEtag, parseIfMatch, etagOf } from './http/etag';
import { ProblemException } from './http/problem';
import { toProblem } from './http/problem-details.filter';
import { canonicalJson } from './persistence/canonical-json';
import { durableConnectionOptions } from './persistence/durability';

const base = { MONGO_URL: 'mongodb://127.0.0.1:27017/', KAFKA_BROKERS: '127.0.0.1:9092' };

describe('configuration', () => {
  it('reads integers from the environment and applies defaults', () => {
    const config = loadConfig(ServiceConfig, { PORT: 3101, MONGO_DB: 'focus_population' }, { ...base, PORT: '4000' });
    expect(config).toMatchObject({ PORT: 4000, MONGO_DB: 'focus_population', KAFKA_TOPIC_PARTITIONS: 6, KAFKA_TOPIC_PREFIX: '' });
  });

  it('stops on a missing or malformed variable, naming each one', () => {
    const load = () => loadConfig(ServiceConfig, { MONGO_DB: 'x' }, { MONGO_URL: 'postgres://nope', PORT: 'eighty' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/PORT: .*\(got "eighty"\)/);
    expect(load).toThrow(/MONGO_URL: MONGO_URL must be a mongodb:\/\//);
    expect(load).toThrow(/KAFKA_BROKERS: .*\(got nothing\)/);
  });

  it('takes a cluster: several brokers, a replica-set URL, replication settings', () => {
    const cluster = {
      KAFKA_BROKERS: 'kafka-0:9092,kafka-1:9092,kafka-2:9092',
      MONGO_URL: 'mongodb://db-0:27017,db-1:27017,db-2:27017/?replicaSet=rs0',
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
    };
    const config = loadConfig(ServiceConfig, { PORT: 3101, MONGO_DB: 'focus_population' }, cluster);
    expect(kafkaReplication(config)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    // Unset, they are left to ensureTopics, which sizes them by the cluster.
    expect(kafkaReplication(loadConfig(ServiceConfig, { PORT: 3101, MONGO_DB: 'x' }, base))).toEqual({
      replicationFactor: undefined,
      minInsyncReplicas: undefined,
    });
    expect(() => loadConfig(ServiceConfig, { PORT: 3101, MONGO_DB: 'x' }, { ...base, KAFKA_REPLICATION_FACTOR: '0' })).toThrow(
      /KAFKA_REPLICATION_FACTOR/,
    );
  });
});

describe('MongoDB read and write concerns', () => {
  it('asks for majority reads and journaled majority writes by default', () => {
    expect(durableConnectionOptions('mongodb://db-0,db-1,db-2/?replicaSet=rs0')).toEqual({
      writeConcern: { w: 'majority', journal: true },
      readConcern: { level: 'majority' },
    });
  });

  it('leaves what MONGO_URL sets to MONGO_URL', () => {
    expect(durableConnectionOptions('mongodb://db/?replicaSet=rs0&W=2')).toEqual({ readConcern: { level: 'majority' } });
    expect(durableConnectionOptions('mongodb://db/?readConcernLevel=local')).toEqual({ writeConcern: { w: 'majority', journal: true } });
  });
});

describe('ETags and If-Match', () => {
  it('round-trips a version', () => {
    expect(parseIfMatch(etagOf(7))).toBe(7);
    expect(parseIfMatch('W/"7"')).toBe(7);
    expect(parseIfMatch('*')).toBe('*');
    expect(parseIfMatch(undefined)).toBeUndefined();
  });

  it('names content by a digest: equal bytes, equal ETag, however they are fed', () => {
    const whole = ContentEtag.of('id,date\r\nc1,2019-07-18\r\n');
    expect(whole).toMatch(/^"[\w-]{27}"$/);
    expect(new ContentEtag().update('id,date\r\n').update(Buffer.from('c1,2019-07-18\r\n')).digest()).toBe(whole);
    expect(ContentEtag.of('id,date\r\nc1,2019-07-19\r\n')).not.toBe(whole);
  });

  it('refuses anything else with 400', () => {
    expect(() => parseIfMatch('7')).toThrow(ProblemException);
    expect(() => parseIfMatch('"$gt"')).toThrow(/If-Match must be an ETag/);
  });
});

describe('problem details', () => {
  it('turns a database outage into 503 with Retry-After', () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoServerSelectionError' });
    expect(toProblem(outage)).toMatchObject({ problem: { status: 503 }, headers: { 'retry-after': '5' } });
  });

  it('maps Fastify body errors and hides unknown ones', () => {
    expect(toProblem(Object.assign(new Error('too big'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' })).problem.status).toBe(413);
    expect(toProblem(Object.assign(new Error('bad'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' })).problem.status).toBe(415);
    const internal = toProblem(new Error('secret stack detail')).problem;
    expect(internal).toMatchObject({ status: 500 });
    expect(JSON.stringify(internal)).not.toMatch(/secret/);
  });
});

describe('canonical JSON', () => {
  it('ignores key order at every depth, not array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(canonicalJson({ a: { c: null, d: [2, 1] }, b: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});

describe('operational paths', () => {
  it('are exactly the health and metrics routes, with or without a query', () => {
    for (const url of ['/health/live', '/health/ready', '/metrics', '/metrics?name=x']) expect(isOperationalPath(url)).toBe(true);
    for (const url of ['/health', '/healthz', '/metrics/x', '/api/v1/operations', '/api/health/live'])
      expect(isOperationalPath(url)).toBe(false);
  });
});

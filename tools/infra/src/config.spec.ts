import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaBrokers, loadConfig } from './config';
import { kafkaServices } from './kafka';

describe('tools/infra: a Kafka cluster of N nodes', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'focus-infra-config-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('is one broker on 9092/9093 by default', () => {
    const config = loadConfig({ FOCUS_INFRA_HOME: home });
    expect(config.kafka).toMatchObject({ nodes: 1, port: 9092, controllerPort: 9093 });
    expect(kafkaBrokers(config)).toBe('127.0.0.1:9092');
    expect(kafkaServices(config).map((s) => [s.key, s.ports, s.variant])).toEqual([['kafka', [9092, 9093], undefined]]);
  });

  it('with --brokers 3, gives each node consecutive ports (controllers 100 above unless set) and lists all three', () => {
    const config = loadConfig({ FOCUS_INFRA_HOME: home, FOCUS_KAFKA_NODES: '3' });
    expect(kafkaBrokers(config)).toBe('127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094');
    expect(kafkaServices(config).map((s) => [s.key, s.ports])).toEqual([
      ['kafka', [9092, 9192]],
      ['kafka.2', [9093, 9193]],
      ['kafka.3', [9094, 9194]],
    ]);
    expect(new Set(kafkaServices(config).map((s) => s.dataDir)).size).toBe(3);
  });

  it('finds the cluster that `up` recorded, so that status, env and down need no flag', () => {
    writeFileSync(join(home, 'state.json'), JSON.stringify({ services: { kafka: {}, 'kafka.2': {}, 'kafka.3': {} } }));
    expect(loadConfig({ FOCUS_INFRA_HOME: home }).kafka.nodes).toBe(3);
  });

  it('refuses overlapping ports and a node count out of range, naming the settings', () => {
    expect(() => loadConfig({ FOCUS_INFRA_HOME: home, FOCUS_KAFKA_NODES: '3', FOCUS_KAFKA_CONTROLLER_PORT: '9093' })).toThrow(
      /must all be different ports/,
    );
    expect(() => loadConfig({ FOCUS_INFRA_HOME: home, FOCUS_KAFKA_NODES: '9' })).toThrow(/FOCUS_KAFKA_NODES \(--brokers\) is "9"/);
  });
});

import { GenericContainer, StartedTestContainer, Wait, getContainerRuntimeClient } from 'testcontainers';
import { freePort } from './ports';

/** Keep in step with docker-compose.yml and tools/infra. */
export const KAFKA_IMAGE = 'apache/kafka:4.1.2';
export const MONGO_IMAGE = 'mongo:7.0';

/**
 * Whether a Docker engine answers. Without one, testcontainers throws quickly; with a dead
 * DOCKER_HOST it can hang instead, so the question gets a short deadline.
 */
export async function dockerAnswers(timeoutMs = 5_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = getContainerRuntimeClient().then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export async function startContainers(): Promise<{ kafkaBrokers: string[]; mongoUrl: string; stop(): Promise<void> }> {
  // Kafka advertises the address clients must dial back, so the host port is chosen first
  // and bound 1:1 instead of letting Docker pick one after the broker has started.
  const kafkaPort = await freePort();
  const [kafka, mongo] = await Promise.all([
    new GenericContainer(KAFKA_IMAGE)
      .withExposedPorts({ container: kafkaPort, host: kafkaPort })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${kafkaPort},CONTROLLER://localhost:9093`,
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
        KAFKA_NUM_PARTITIONS: '3',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start(),
    new GenericContainer(MONGO_IMAGE).withExposedPorts(27017).withWaitStrategy(Wait.forListeningPorts()).start(),
  ]);
  return {
    kafkaBrokers: [`127.0.0.1:${kafkaPort}`],
    mongoUrl: `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}/`,
    stop: async () => {
      await Promise.all([kafka, mongo].map((c: StartedTestContainer) => c.stop()));
    },
  };
}

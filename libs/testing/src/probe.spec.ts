import { createServer, Server, Socket } from 'node:net';
import { infrastructureFromEnvironment } from './infrastructure';
import { InfrastructureUnreachableError, probeKafka, probeMongo } from './probe';

// Unreachable infrastructure must fail a run with a message that says what to do, not hang
// it: a port that accepts connections and never answers is the case that used to hang.
describe('unreachable infrastructure', () => {
  let silent: Server;
  let silentPort: number;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Accepts connections and never speaks.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('a broker that refuses connections fails the probe with a clear message', async () => {
    const probe = probeKafka(['127.0.0.1:1'], 2_000);
    await expect(probe).rejects.toBeInstanceOf(InfrastructureUnreachableError);
    await expect(probe).rejects.toThrow(/Kafka at 127\.0\.0\.1:1 did not answer.*KAFKA_BROKERS/);
  });

  it('a broker that never answers fails the probe instead of hanging', async () => {
    await expect(probeKafka([`127.0.0.1:${silentPort}`], 2_000)).rejects.toThrow(/did not answer/);
  });

  it('a database server that never answers fails the probe with a clear message', async () => {
    const probe = probeMongo(`mongodb://user:secret@127.0.0.1:${silentPort}/`, 2_000);
    await expect(probe).rejects.toThrow(/MongoDB-wire server at mongodb:\/\/\*\*\*@127\.0\.0\.1:\d+\/ did not answer.*MONGO_URL/);
    await expect(probe).rejects.not.toThrow(/secret/);
  });

  it('half a configuration is an error that names the missing variable', () => {
    expect(() => infrastructureFromEnvironment({ KAFKA_BROKERS: '127.0.0.1:9092' })).toThrow(/only KAFKA_BROKERS is set/);
    expect(infrastructureFromEnvironment({})).toBeUndefined();
  });
});

import { MongoClient } from 'mongodb';
import { eventually, testInfrastructure } from '@focus/testing';
import { sleep } from './backoff';
import { fixDriverWritesOnDestroyedSockets } from './driver-destroyed-socket';

/** The driver's monitor of the one server (not in its public API; the race needs its connection). */
interface Monitor {
  connection: { socket: { destroy(): void } } | null;
  requestCheck(): void;
}

function monitorOf(client: MongoClient): Monitor {
  const topology = (client as unknown as { topology: { s: { servers: Map<string, { monitor: Monitor }> } } }).topology;
  const [server] = topology.s.servers.values();
  return server.monitor;
}

// The race behind a service that never got its database back after FerretDB restarted under
// load, made deterministic on the real server: the monitor's socket is destroyed and a check
// starts before the socket's close event has run.
describe('the MongoDB driver on a real server: a check on a connection whose socket was just destroyed', () => {
  it('fails as a network error, and the monitor connects again, instead of waiting for good', async () => {
    fixDriverWritesOnDestroyedSockets();
    // Polling with a kept connection, as against FerretDB; no check of its own during the test.
    const client = new MongoClient(testInfrastructure().mongoUrl, { serverMonitoringMode: 'poll', heartbeatFrequencyMS: 60_000 });
    const beats: string[] = [];
    client.on('serverHeartbeatSucceeded', () => beats.push('succeeded'));
    client.on('serverHeartbeatFailed', () => beats.push('failed'));
    await client.connect();
    try {
      const monitor = monitorOf(client);
      await eventually(async () => (monitor.connection && beats.includes('succeeded') ? true : undefined), 10_000, 'the first check');
      // A check requested sooner than minHeartbeatFrequencyMS (500 ms) after the last one would wait.
      await sleep(1_000);
      beats.length = 0;

      monitor.connection?.socket.destroy();
      monitor.requestCheck();
      await eventually(async () => (beats.includes('failed') ? true : undefined), 10_000, 'the check failing');

      await sleep(1_000);
      monitor.requestCheck();
      await eventually(async () => (beats.includes('succeeded') ? true : undefined), 10_000, 'a check on a new connection');
      expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    } finally {
      await client.close();
    }
  });
});

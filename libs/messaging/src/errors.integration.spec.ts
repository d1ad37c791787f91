import { createServer, connect, Server, Socket } from 'node:net';
import { MongoClient } from 'mongodb';
import { testInfrastructure, testNamespace } from '@focus/testing';
import { isInfrastructureError } from './errors';

// What a bulk write throws when the server goes away, on a real server: an outage (503,
// retried), where a refused document is not.
describe('errors of a bulk write on a real server', () => {
  const ns = testNamespace('errors');
  const target = new URL(testInfrastructure().mongoUrl);
  let proxy: Server;
  let proxyPort = 0;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Between the client and the server, a proxy this test can take away: the server "goes away" for the client.
    proxy = createServer((client) => {
      const server = connect(Number(target.port || 27017), target.hostname);
      for (const socket of [client, server]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(server).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyPort = (proxy.address() as { port: number }).port;
  });
  afterAll(async () => {
    const client = await new MongoClient(testInfrastructure().mongoUrl).connect();
    await client.db(ns.dbName).dropDatabase();
    await client.close();
  });

  it('a server gone between two writes is an outage; a duplicate key is not', async () => {
    const client = await new MongoClient(`mongodb://127.0.0.1:${proxyPort}/`, { serverSelectionTimeoutMS: 1_000 }).connect();
    try {
      const collection = client.db(ns.dbName).collection<{ _id: string }>('bulk');
      await collection.insertMany([{ _id: 'a' }]);
      const duplicate = await failure(collection.insertMany([{ _id: 'a' }]));
      expect(duplicate.name).toBe('MongoBulkWriteError');
      expect(isInfrastructureError(duplicate)).toBe(false);

      await new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      const gone = await failure(collection.insertMany([{ _id: 'b' }]));
      expect(gone.name).toBe('MongoBulkWriteError');
      expect(isInfrastructureError(gone)).toBe(true);
      // And while it stays away (no server to select): the same.
      const away = await failure(collection.insertMany([{ _id: 'c' }]));
      expect([away.name, away.message, isInfrastructureError(away)]).toEqual([
        'MongoBulkWriteError',
        expect.stringMatching(/ECONNREFUSED/),
        true,
      ]);
    } finally {
      await client.close(true);
    }
  });
});

/** What `promise` failed with; a test failure if it succeeded. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as Error,
  );
}

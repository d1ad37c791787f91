import { Socket } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { HOST } from './config';
import { InfraError } from './errors';
import { indent, isAlive, sleep, tailFile } from './processes';

/** Whether anything accepts TCP connections on the port: ours, or something in the way. */
export function portAnswers(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    const finish = (answered: boolean) => {
      socket.destroy();
      done(answered);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    socket.connect(port, HOST);
  });
}

/**
 * An open port is not a ready broker: Kafka is usable once it serves metadata, which is what
 * describeCluster() asks for. With a node id (a cluster's node), also once the cluster lists
 * that node among its brokers. No retries here; the caller polls.
 */
export async function kafkaAnswers(brokers: string, nodeId?: number): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'focus-infra',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return nodeId === undefined || cluster.brokers.some((broker) => broker.nodeId === nodeId);
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function mongoAnswers(url: string): Promise<boolean> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000 });
  try {
    await client.connect();
    await client.db().admin().command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/**
 * Polls until the server answers. A server that dies while starting would otherwise only be
 * noticed at the deadline, so the pid is checked on every round and its log shown at once.
 */
export async function waitUntilReady(target: {
  pid: number;
  logFile: string;
  timeoutMs: number;
  answers: () => Promise<boolean>;
}): Promise<void> {
  const deadline = Date.now() + target.timeoutMs;
  for (;;) {
    if (await target.answers()) return;
    if (!isAlive(target.pid)) {
      throw new InfraError(
        `the server (pid ${target.pid}) exited while starting. Last lines of ${target.logFile}:\n` + indent(tailFile(target.logFile, 40)),
      );
    }
    if (Date.now() > deadline) {
      throw new InfraError(
        `the server (pid ${target.pid}) did not answer within ${target.timeoutMs / 1000} s. ` +
          `Last lines of ${target.logFile}:\n${indent(tailFile(target.logFile, 40))}`,
      );
    }
    await sleep(500);
  }
}

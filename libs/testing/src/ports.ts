import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/*
 * Ports for servers that tests start. Not port 0: the kernel hands out the same ephemeral
 * range to outgoing connections, and with dozens of Kafka and MongoDB clients about, a port
 * found free was seen taken by a client's socket before the server bound it (CI). Below the
 * ephemeral range only other servers compete, and they probe the same way.
 */
const LOWEST = 10_000;

/** A TCP port free on 127.0.0.1 right now (the caller binds it soon after). */
export async function freePort(): Promise<number> {
  const highest = ephemeralRangeStart() - 1;
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (highest - LOWEST + 1));
    if (await canBind(port)) return port;
  }
  throw new Error(`no free port between ${LOWEST} and ${highest} after 100 tries`);
}

/** `count` consecutive ports free on 127.0.0.1 right now: a Kafka cluster's nodes take port + i. */
export async function freePortRun(count: number): Promise<number> {
  const highest = ephemeralRangeStart() - count;
  for (let attempt = 0; attempt < 100; attempt++) {
    const first = LOWEST + Math.floor(Math.random() * (highest - LOWEST + 1));
    let free = true;
    for (let i = 0; free && i < count; i++) free = await canBind(first + i);
    if (free) return first;
  }
  throw new Error(`no ${count} consecutive free ports between ${LOWEST} and ${highest} after 100 tries`);
}

function ephemeralRangeStart(): number {
  try {
    const start = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (start > LOWEST + 1_000) return start;
  } catch {
    // Not Linux: IANA's dynamic range starts at 49152.
  }
  return 49_152;
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

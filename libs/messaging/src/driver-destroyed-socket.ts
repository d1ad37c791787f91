import { MongoNetworkError } from 'mongodb';

/**
 * A fix for a MongoDB Node driver bug (6.20, the version mongoose 8 pins; 7.x has the same code),
 * applied once per process by service-kit's ServiceCoreModule.
 *
 * A command written to a connection whose socket is destroyed but whose `close` event has not
 * run yet (it runs on a later turn of the event loop) gets `false` from `socket.write` and
 * waits for a `drain` that never comes: a destroyed socket emits neither `drain` nor `error`,
 * nor times out. When that connection is the server monitor's, the monitor stays "checking"
 * for good and ignores every request to check again, so a server marked Unknown (a pooled
 * connection closed) stays Unknown, and every operation of the process fails server selection
 * with the same error until it restarts. Seen when FerretDB restarted under load: FerretDB has
 * no streaming monitor, so the driver polls over a kept connection, the one the race hits.
 *
 * The write on a destroyed socket now fails at once as the network error it is: the monitor
 * records a failed heartbeat, drops its connection and opens a new one at its next check.
 * `driver-destroyed-socket.integration.spec.ts` holds the driver to it on a real server.
 */
interface DriverConnection {
  id: number | '<monitor>';
  address: string;
  socket: { destroyed: boolean };
  onError(error: Error): void;
  writeCommand(command: unknown, options: unknown): Promise<void>;
}

const APPLIED = Symbol.for('focus.driverDestroyedSocketFix');

export function fixDriverWritesOnDestroyedSockets(): void {
  // Not in the driver's public API: its own module, which the pinned version has at this path.
  const { Connection } = require('mongodb/lib/cmap/connection') as { Connection: { prototype: DriverConnection & { [APPLIED]?: true } } };
  const prototype = Connection.prototype;
  if (prototype[APPLIED]) return;
  const writeCommand = prototype.writeCommand;
  prototype.writeCommand = function (this: DriverConnection, command: unknown, options: unknown): Promise<void> {
    if (this.socket.destroyed) {
      const error = new MongoNetworkError(`connection ${this.id} to ${this.address} closed`);
      this.onError(error);
      return Promise.reject(error);
    }
    return writeCommand.call(this, command, options);
  };
  prototype[APPLIED] = true;
}

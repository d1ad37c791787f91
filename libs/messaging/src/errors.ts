/**
 * A failure that no retry can fix (the event contradicts the handler's rules, say): the
 * message goes to the dead-letter topic at once instead of after every retry.
 */
export class PermanentError extends Error {
  override name = 'PermanentError';
}

/** The broker did not answer in time (a publish or a connect abandoned): an outage like kafkajs' own timeouts. */
export class BrokerTimeoutError extends Error {
  override name = 'BrokerTimeoutError';
}

const INFRASTRUCTURE_ERRORS = new Set([
  'BrokerTimeoutError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoWaitQueueTimeoutError',
  'MongoOperationTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
]);

/**
 * An outage of a server we depend on, as opposed to a problem with one message. A message
 * that failed for this reason is not poison: it is retried until the server is back, never
 * dead-lettered, or one outage would divert a whole stream into the DLQ.
 */
export function isInfrastructureError(error: unknown): boolean {
  return isOutage(error, 0);
}

function isOutage(error: unknown, depth: number): boolean {
  // Causes are followed a few deep: a chain that loops must not overflow the stack.
  if (!(error instanceof Error) || depth > 8) return false;
  if (INFRASTRUCTURE_ERRORS.has(error.name)) return true;
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT') return true;
  if (error.name === 'MongoBulkWriteError' && isWrappedOutage(error)) return true;
  // Drivers wrap the outage they met (a bulk write's, mongoose's): judge by what they wrap.
  return error.cause !== undefined && isOutage(error.cause, depth + 1);
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * A bulk write (insertMany, bulkWrite) that met an outage fails with a MongoBulkWriteError
 * that copies the fields of what it met instead of keeping it as its cause: the network
 * error's `beforeHandshake`, the server selection error's `reason` (a topology). A write
 * answered 500 when the server went away just as it was sent (the MongoDB-wire fault suite).
 */
function isWrappedOutage(error: Error): boolean {
  const wrapped = error as { writeErrors?: unknown[]; beforeHandshake?: unknown; reason?: { servers?: unknown } };
  if ((wrapped.writeErrors?.length ?? 0) > 0) return false;
  return typeof wrapped.beforeHandshake === 'boolean' || wrapped.reason?.servers instanceof Map;
}

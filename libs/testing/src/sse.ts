/** One message of a Server-Sent Events stream (`id:` and `data:`; comments and other fields dropped). */
export interface ServerSentEvent {
  id: string;
  data: string;
}

export interface EventStreamReader {
  status: number;
  headers: Headers;
  /** Every message received so far, in order (a live array: it grows as messages arrive). */
  events: ServerSentEvent[];
  /** Resolves true when the server ended the stream, false when close() did. */
  ended: Promise<boolean>;
  close(): void;
}

/**
 * A minimal EventSource over fetch, as a portal's client reads a stream: messages split on
 * blank lines, `id` and `data` kept. For tests of the gateway's SSE routes.
 */
export async function readEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStreamReader> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: ServerSentEvent[] = [];
  const pump = async (): Promise<boolean> => {
    if (!response.body) return true;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return true;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((line) => !line.startsWith(':'))
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
          );
          if (fields['data'] !== undefined) events.push({ id: fields['id'] ?? '', data: fields['data'] });
        }
      }
    } catch {
      return false; // aborted by close()
    }
  };
  return { status: response.status, headers: response.headers, events, ended: pump(), close: () => controller.abort() };
}

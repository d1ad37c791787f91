const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

interface PinoLine {
  level?: number;
  time?: number;
  msg?: string;
  context?: string;
  err?: { message?: string };
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

/**
 * One app's pino JSON log line as a person reads it: `12:04:31 WARN  [Kafka] message`, with
 * the request for request logs. Anything that is not a pino line is passed through as it is.
 */
export function readableLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let entry: PinoLine;
  try {
    entry = JSON.parse(line) as PinoLine;
  } catch {
    return line;
  }
  if (typeof entry.level !== 'number') return line;
  const time = new Date(entry.time ?? Date.now()).toISOString().slice(11, 19);
  const level = (LEVELS[entry.level] ?? String(entry.level)).padEnd(5);
  const context = entry.context ? `[${entry.context}] ` : '';
  const request = entry.req?.method
    ? ` ${entry.req.method} ${entry.req.url ?? ''}${entry.res?.statusCode ? ` → ${entry.res.statusCode}` : ''}${entry.responseTime !== undefined ? ` ${Math.round(entry.responseTime)} ms` : ''}`
    : '';
  const error = entry.err?.message && entry.err.message !== entry.msg ? `: ${entry.err.message}` : '';
  return `${time} ${level} ${context}${entry.msg ?? ''}${request}${error}`;
}

import { readableLogLine } from './log-line';

describe('readableLogLine', () => {
  it('turns a pino line into time, level, context and message', () => {
    const line = JSON.stringify({ level: 40, time: Date.UTC(2026, 10, 28, 12, 4, 31), context: 'Kafka', msg: 'broker away' });
    expect(readableLogLine(line)).toBe('12:04:31 WARN  [Kafka] broker away');
  });

  it('shows the request and its answer for request logs', () => {
    const line = JSON.stringify({
      level: 30,
      time: Date.UTC(2026, 10, 28, 0, 0, 1),
      msg: 'request completed',
      req: { method: 'PUT', url: '/operations/KAZ' },
      res: { statusCode: 200 },
      responseTime: 12.4,
    });
    expect(readableLogLine(line)).toBe('00:00:01 INFO  request completed PUT /operations/KAZ → 200 12 ms');
  });

  it('passes anything else through untouched', () => {
    expect(readableLogLine('plain text')).toBe('plain text');
    expect(readableLogLine('{not json')).toBe('{not json');
    expect(readableLogLine('{"a":1}')).toBe('{"a":1}');
  });
});

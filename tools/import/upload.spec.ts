import { createServer, Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { megabytes, progressBar } from '../cli/progress';
import { followImport, uploadCsv } from './upload';

describe('import upload', () => {
  let server: Server;
  let url: string;
  const received: { headers: Record<string, unknown>; body: string }[] = [];

  beforeAll(async () => {
    let polls = 0;
    server = createServer((req, res) => {
      if (req.method === 'GET') {
        // An import followed at its Location: running twice, then done.
        polls += 1;
        const done = polls >= 3;
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            state: done ? 'succeeded' : 'running',
            progress: { figures: 10, figuresDone: done ? 10 : polls * 4 },
            summary: { rowsRead: 2 },
          }),
        );
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        if (req.headers.prefer === 'respond-async')
          res
            .writeHead(202, { 'content-type': 'application/json', location: '/imports/population/1' })
            .end(JSON.stringify({ state: 'running' }));
        else res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ rowsRead: 2 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/imports/population`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('streams the file as text/csv with the key, reports progress to the end, and returns the summary', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'focus-import-')), 'pop.csv');
    const csv = 'year,coo_name\n' + '2018,Kazakhstan\n'.repeat(5000);
    writeFileSync(file, csv);
    const progress: number[] = [];
    const result = await uploadCsv({ file, url, apiKey: 'k1', onProgress: (sent) => progress.push(sent) });
    expect(result).toEqual({ status: 201, body: { rowsRead: 2 } });
    expect(received[0].body).toBe(csv);
    expect(received[0].headers).toMatchObject({ 'content-type': 'text/csv', 'x-api-key': 'k1' });
    expect(progress.at(-1)).toBe(Buffer.byteLength(csv));
  });

  it('decompresses a .gz file on the way, so the server receives the CSV', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'focus-import-')), 'pop.csv.gz');
    const csv = 'year,coo_name\n' + '2019,Kazakhstan\n'.repeat(5000);
    writeFileSync(file, gzipSync(csv));
    const result = await uploadCsv({ file, url });
    expect(result.status).toBe(201);
    expect(received.at(-1)!.body).toBe(csv);
    expect(received.at(-1)!.headers['content-type']).toBe('text/csv');
  });

  it('asks for a 202 when told to, and follows the import at its Location until it is no longer running', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'focus-import-')), 'pop.csv');
    writeFileSync(file, 'year,coo_name\n2018,Kazakhstan\n');
    const accepted = await uploadCsv({ file, url, respondAsync: true });
    expect(accepted).toMatchObject({ status: 202, location: `${new URL(url).origin}/imports/population/1` });
    const progress: Array<[number, number]> = [];
    const end = await followImport({ url: accepted.location!, intervalMs: 10, onProgress: (done, total) => progress.push([done, total]) });
    expect(end).toMatchObject({ state: 'succeeded', summary: { rowsRead: 2 } });
    expect(progress).toEqual([
      [4, 10],
      [8, 10],
      [10, 10],
    ]);
  });

  it('draws a progress bar', () => {
    expect(progressBar(0, 100, megabytes, 10)).toMatch(/^\[\.{10}\]\s+0%/);
    expect(progressBar(50, 100, megabytes, 10)).toMatch(/^\[#{5}\.{5}\]\s+50%/);
    expect(progressBar(100, 100, megabytes, 10)).toMatch(/^\[#{10}\]\s+100%/);
  });
});

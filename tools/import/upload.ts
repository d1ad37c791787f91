import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Agent, fetch } from 'undici';

/**
 * The summary comes when the whole file has been imported: minutes for the full UNHCR file,
 * past fetch's default 300 s wait for response headers. Waiting is right here.
 */
const patient = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

export interface UploadOptions {
  file: string;
  url: string;
  apiKey?: string;
  /** Called as bytes leave, with the total: drives the progress bar. */
  onProgress?: (sent: number, total: number) => void;
  /** Ask for a 202 once the file is read (Prefer: respond-async), to follow with followImport. */
  respondAsync?: boolean;
}

/**
 * Streams a file as the body of a POST, never holding it whole, and returns the server's
 * status and JSON (a summary, or a problem+json on failure). A `.gz` file is decompressed on
 * the way (its CSV size is unknown up front, so it goes chunked); progress counts the bytes
 * read from disk either way.
 */
export async function uploadCsv({
  file,
  url,
  apiKey,
  onProgress,
  respondAsync,
}: UploadOptions): Promise<{ status: number; body: unknown; location?: string }> {
  const total = statSync(file).size;
  let sent = 0;
  const stream = createReadStream(file);
  stream.on('data', (chunk) => {
    sent += chunk.length;
    onProgress?.(sent, total);
  });
  const gzipped = file.endsWith('.gz');
  const csv = gzipped ? stream.pipe(createGunzip()) : stream;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'text/csv',
      ...(gzipped ? {} : { 'content-length': String(total) }),
      ...(apiKey ? { 'x-api-key': apiKey } : {}),
      ...(respondAsync ? { prefer: 'respond-async' } : {}),
    },
    body: Readable.toWeb(csv) as ReadableStream<Uint8Array>,
    duplex: 'half',
    dispatcher: patient,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the error message
  }
  const location = response.headers.get('location');
  return { status: response.status, body, ...(location ? { location: new URL(location, url).toString() } : {}) };
}

/** An import answered 202, as GET on its Location gives it. */
export interface ImportStatus {
  state: 'running' | 'succeeded' | 'failed' | 'interrupted';
  progress: { figures: number; figuresDone: number };
  summary?: unknown;
  problem?: { title: string; detail: string };
}

/** Polls an import answered 202 until it is no longer running; reports its progress on the way. */
export async function followImport({
  url,
  apiKey,
  onProgress,
  intervalMs = 2_000,
}: {
  url: string;
  apiKey?: string;
  onProgress?: (done: number, total: number) => void;
  intervalMs?: number;
}): Promise<ImportStatus> {
  for (;;) {
    const response = await fetch(url, { headers: apiKey ? { 'x-api-key': apiKey } : {} });
    if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
    const status = (await response.json()) as ImportStatus;
    onProgress?.(status.progress.figuresDone, status.progress.figures);
    if (status.state !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

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
}

/**
 * Streams a file as the body of a POST, never holding it whole, and returns the server's
 * status and JSON (a summary, or a problem+json on failure). A `.gz` file is decompressed on
 * the way (its CSV size is unknown up front, so it goes chunked); progress counts the bytes
 * read from disk either way.
 */
export async function uploadCsv({ file, url, apiKey, onProgress }: UploadOptions): Promise<{ status: number; body: unknown }> {
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
  return { status: response.status, body };
}

import { SeedOperation, seedRequests } from './seed-requests';

export interface LoadOptions {
  /** The public API's base, e.g. http://localhost:3000/api/v1 */
  apiUrl: string;
  apiKey: string;
  onProgress?: (done: number, total: number) => void;
}

export interface LoadSummary {
  requests: number;
  /** By answer: 201 created, 200 updated or unchanged (a second load), ... */
  statuses: Record<number, number>;
}

export class SeedLoadError extends Error {}

/** Writes the seed operation through the public API, one request after another. */
export async function loadSeed(seed: SeedOperation, options: LoadOptions): Promise<LoadSummary> {
  const requests = seedRequests(seed);
  const statuses: Record<number, number> = {};
  for (const [index, request] of requests.entries()) {
    const response = await fetch(`${options.apiUrl}${request.path}`, {
      method: request.method,
      headers: { 'content-type': 'application/json', 'x-api-key': options.apiKey, ...request.headers },
      body: JSON.stringify(request.body),
    });
    const text = await response.text();
    if (!response.ok) throw new SeedLoadError(`${request.method} ${request.path} answered ${response.status}: ${text}`);
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    options.onProgress?.(index + 1, requests.length);
  }
  return { requests: requests.length, statuses };
}

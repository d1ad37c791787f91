import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { COMPOSE_FILE, ROOT } from './settings';
import { join } from 'node:path';

/**
 * The images the project pulls: the Dockerfile's bases (not its own stages, not scratch) and
 * the compose file's `image:`s, read from the files themselves so the two never disagree.
 */
export function pulledImages(): string[] {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const stages = new Set([...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]));
  const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gim)].map((m) => m[1]).filter((image) => !stages.has(image) && image !== 'scratch');
  const compose = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as { services: Record<string, { image?: string }> };
  const images = Object.values(compose.services).flatMap((service) => (service.image ? [service.image] : []));
  return [...new Set([...bases, ...images])];
}

/** `apache/kafka:4.1.2` → { repository: 'apache/kafka', tag: '4.1.2' } */
export function splitImage(image: string): { repository: string; tag: string } {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? { repository: image.slice(0, at), tag: image.slice(at + 1) } : { repository: image, tag: 'latest' };
}

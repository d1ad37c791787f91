import { createHash } from 'node:crypto';
import { badRequest } from './problem';

/** The entity version is the ETag: equal on every replica, changed by every write. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** `If-Match` as the version it demands; `*` means "must exist"; absent means no condition. */
export function parseIfMatch(header: string | string[] | undefined): number | '*' | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header[0] : header).trim();
  if (value === '*') return '*';
  const match = /^(?:W\/)?"(\d{1,15})"$/.exec(value);
  if (!match)
    throw badRequest(`If-Match must be an ETag this API issued, such as "3"; got ${JSON.stringify(value.slice(0, 40))}.`, [
      { field: 'If-Match', message: 'not an ETag' },
    ]);
  return Number(match[1]);
}

/**
 * An ETag named by content: a digest of the answer's bytes (fed in one or more parts), equal on
 * every replica for equal content. For answers without a version of their own (lists, pages).
 */
export class ContentEtag {
  private readonly hash = createHash('sha256');

  update(part: Buffer | string): this {
    this.hash.update(part);
    return this;
  }

  digest(): string {
    return `"${this.hash.digest('base64url').slice(0, 27)}"`;
  }

  static of(content: Buffer | string): string {
    return new ContentEtag().update(content).digest();
  }
}

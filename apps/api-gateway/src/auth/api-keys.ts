import { createHash, timingSafeEqual } from 'node:crypto';

export const ROLES = ['reader', 'editor'] as const;
export type Role = (typeof ROLES)[number];

/** The editor key of the local stack, documented in README; production refuses it. */
export const LOCAL_DEV_EDITOR_KEY = 'local-dev-editor';
export const DEFAULT_API_KEYS = `local:editor:${LOCAL_DEV_EDITOR_KEY}`;

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const KEY = /^[\x21-\x7e]{16,256}$/;

export interface ApiKey {
  name: string;
  role: Role;
  /** SHA-256 of the key: what is compared, so every comparison has the same length. */
  digest: Buffer;
}

export class ApiKeyConfigError extends Error {
  override name = 'ApiKeyConfigError';
}

/**
 * `GATEWAY_API_KEYS`: `name:role:key` entries, comma separated (the key may itself contain
 * colons). Names and keys must be unique; keys are 16 to 256 visible ASCII characters.
 * Errors name the entry by its position and name, never by its key.
 */
export function parseApiKeys(spec: string): ApiKey[] {
  const entries = spec
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const keys: ApiKey[] = [];
  const problems: string[] = [];
  const secrets = new Set<string>();
  entries.forEach((entry, index) => {
    const [name = '', role = '', ...rest] = entry.split(':');
    const key = rest.join(':');
    const where = `entry ${index + 1}${NAME.test(name) ? ` (${name})` : ''}`;
    if (!NAME.test(name)) problems.push(`${where}: the name must be 1 to 64 letters, digits, ".", "_" or "-"`);
    else if (keys.some((k) => k.name === name)) problems.push(`${where}: the name is used twice`);
    if (!(ROLES as readonly string[]).includes(role)) problems.push(`${where}: the role must be one of ${ROLES.join(', ')}`);
    if (!KEY.test(key)) problems.push(`${where}: the key must be 16 to 256 visible ASCII characters`);
    else if (secrets.has(key)) problems.push(`${where}: the key is used twice`);
    secrets.add(key);
    keys.push({ name, role: role as Role, digest: digest(key) });
  });
  if (problems.length > 0) throw new ApiKeyConfigError(`GATEWAY_API_KEYS (name:role:key, comma separated): ${problems.join('; ')}`);
  return keys;
}

/** Whether a parsed configuration holds the documented local key (refused in production). */
export function holdsLocalDevKey(keys: ApiKey[]): boolean {
  const local = digest(LOCAL_DEV_EDITOR_KEY);
  return keys.some((k) => timingSafeEqual(k.digest, local));
}

/** Looks a presented key up among the configured ones, in time independent of which matched. */
export class ApiKeyRing {
  constructor(private readonly keys: readonly ApiKey[]) {}

  identify(presented: string | string[] | undefined): ApiKey | undefined {
    const value = Array.isArray(presented) ? presented[0] : presented;
    if (value === undefined || value === '') return undefined;
    const offered = digest(value);
    let found: ApiKey | undefined;
    // Every key is compared, whichever matches: no early exit to time.
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, offered)) found = key;
    }
    return found;
  }
}

/** An editor may do what a reader may. */
export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

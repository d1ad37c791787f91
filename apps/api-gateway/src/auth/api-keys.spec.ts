import { ApiKeyRing, holdsLocalDevKey, parseApiKeys, roleAllows } from './api-keys';
import { gatewayConfig } from '../config';

describe('API keys', () => {
  const spec = 'portal:reader:reader-key-0123456789, ops:editor:editor:key:with:colons';

  it('parses name:role:key entries, keys may hold colons', () => {
    const keys = parseApiKeys(spec);
    expect(keys.map((k) => [k.name, k.role])).toEqual([
      ['portal', 'reader'],
      ['ops', 'editor'],
    ]);
    const ring = new ApiKeyRing(keys);
    expect(ring.identify('editor:key:with:colons')?.name).toBe('ops');
    expect(ring.identify('reader-key-0123456789')?.role).toBe('reader');
  });

  it('identifies nothing for a missing, empty or unknown key', () => {
    const ring = new ApiKeyRing(parseApiKeys(spec));
    expect(ring.identify(undefined)).toBeUndefined();
    expect(ring.identify('')).toBeUndefined();
    expect(ring.identify('reader-key-012345678')).toBeUndefined();
    expect(ring.identify(['nope', 'reader-key-0123456789'])).toBeUndefined();
  });

  it.each([
    ['a missing role', 'a::key-0123456789abcdef', /role must be one of reader, editor/],
    ['an unknown role', 'a:admin:key-0123456789abcdef', /role must be one of/],
    ['a short key', 'a:editor:short', /16 to 256 visible ASCII/],
    ['a bad name', 'a b:editor:key-0123456789abcdef', /name must be/],
    ['a name twice', 'a:editor:key-0123456789abcdef,a:reader:key-0123456789abcdeg', /name is used twice/],
    ['a key twice', 'a:editor:key-0123456789abcdef,b:reader:key-0123456789abcdef', /key is used twice/],
  ])('refuses %s, naming the entry and never the key', (_what, value, message) => {
    expect(() => parseApiKeys(value)).toThrow(message);
    try {
      parseApiKeys(value);
    } catch (error) {
      expect(String(error)).not.toContain('0123456789abcde');
    }
  });

  it('an editor may read; a reader may not write', () => {
    expect(roleAllows('editor', 'reader')).toBe(true);
    expect(roleAllows('editor', 'editor')).toBe(true);
    expect(roleAllows('reader', 'reader')).toBe(true);
    expect(roleAllows('reader', 'editor')).toBe(false);
  });

  it('the local stack has the documented editor key; production refuses to start with it', () => {
    const base = { KAFKA_BROKERS: '127.0.0.1:9092' };
    const local = gatewayConfig(base);
    expect(holdsLocalDevKey(local.apiKeys)).toBe(true);
    expect(new ApiKeyRing(local.apiKeys).identify('local-dev-editor')?.role).toBe('editor');
    expect(() => gatewayConfig({ ...base, NODE_ENV: 'production' })).toThrow(/local-dev-editor.*refused in production/);
    expect(() => gatewayConfig({ ...base, NODE_ENV: 'production', GATEWAY_API_KEYS: 'x:editor:local-dev-editor' })).toThrow(
      /refused in production/,
    );
    const production = gatewayConfig({ ...base, NODE_ENV: 'production', GATEWAY_API_KEYS: 'ops:editor:a-real-production-key-1' });
    expect(production.apiKeys).toHaveLength(1);
  });

  it('configuration errors name the variable', () => {
    expect(() => gatewayConfig({ KAFKA_BROKERS: '127.0.0.1:9092', GATEWAY_API_KEYS: 'nonsense' })).toThrow(/GATEWAY_API_KEYS/);
    expect(() => gatewayConfig({ KAFKA_BROKERS: '127.0.0.1:9092', RATE_LIMIT_MAX: '0' })).toThrow(/RATE_LIMIT_MAX/);
    expect(() => gatewayConfig({ KAFKA_BROKERS: '127.0.0.1:9092', POPULATION_URL: 'http://x/path' })).toThrow(/POPULATION_URL/);
    const config = gatewayConfig({ KAFKA_BROKERS: '127.0.0.1:9092', RATE_LIMIT_MAX: '50', RATE_LIMIT_WINDOW_MS: '2000' });
    expect([config.PORT, config.RATE_LIMIT_MAX, config.RATE_LIMIT_WINDOW_MS, config.GATEWAY_READ_ACCESS]).toEqual([3000, 50, 2000, 'open']);
    expect(config.PORTAL_DIR).toMatch(/dist\/portal$/);
  });
});

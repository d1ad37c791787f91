import { corsOrigins, gatewayConfig, upstreamUrls } from './config';

describe('gateway configuration', () => {
  const env = { KAFKA_BROKERS: '127.0.0.1:9092' };

  it('allows any origin by default, a list when given one, and none for "none"', () => {
    expect(corsOrigins(gatewayConfig(env).CORS_ORIGINS)).toEqual(['*']);
    expect(corsOrigins(gatewayConfig({ ...env, CORS_ORIGINS: '' }).CORS_ORIGINS)).toEqual(['*']);
    expect(corsOrigins(gatewayConfig({ ...env, CORS_ORIGINS: 'https://a.example, https://b.example' }).CORS_ORIGINS)).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(corsOrigins(gatewayConfig({ ...env, CORS_ORIGINS: 'none' }).CORS_ORIGINS)).toEqual([]);
  });

  it('stops with the variable named when one is wrong', () => {
    expect(() => gatewayConfig({ ...env, RATE_LIMIT_MAX: 'lots' })).toThrow(/RATE_LIMIT_MAX/);
    expect(() => gatewayConfig({ ...env, POPULATION_URL: 'http://127.0.0.1:3101/api' })).toThrow(/POPULATION_URL must be a base URL/);
    expect(() => gatewayConfig({ ...env, BUDGET_URL: 'http://127.0.0.1:3102,' })).toThrow(/BUDGET_URL must be a base URL/);
    expect(() => gatewayConfig({ ...env, BUDGET_URL: 'http://127.0.0.1:3102,ftp://x' })).toThrow(/BUDGET_URL must be a base URL/);
  });

  it('takes several URLs per service, comma separated: its replicas', () => {
    const config = gatewayConfig({ ...env, POPULATION_URL: 'http://10.0.0.1:3101, http://10.0.0.2:3101' });
    expect(upstreamUrls(config.POPULATION_URL)).toEqual(['http://10.0.0.1:3101', 'http://10.0.0.2:3101']);
    expect(upstreamUrls(config.BUDGET_URL)).toEqual(['http://127.0.0.1:3102']);
  });
});

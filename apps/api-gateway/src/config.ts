import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AppConfig, ConfigError, loadConfig } from '@focus/service-kit';
import { ApiKey, ApiKeyConfigError, DEFAULT_API_KEYS, holdsLocalDevKey, LOCAL_DEV_EDITOR_KEY, parseApiKeys } from './auth/api-keys';

/** One base URL, or several (the replicas of one service), comma separated. */
const BASE_URLS = /^\s*https?:\/\/[^/\s,]+\s*(?:,\s*https?:\/\/[^/\s,]+\s*)*$/;
const baseUrl = (name: string) =>
  Matches(BASE_URLS, { message: `${name} must be a base URL such as http://127.0.0.1:3101 (no path), or several of them comma separated` });

/** The replicas' base URLs in a *_URL variable. */
export function upstreamUrls(setting: string): string[] {
  return setting
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
}

export class GatewayConfig extends AppConfig {
  /**
   * The read-model aggregator, and the four owner services writes go to: each one base URL,
   * or a comma list of its replicas, which requests are spread over.
   */
  @IsString()
  @baseUrl('OPERATION_VIEW_URL')
  OPERATION_VIEW_URL = 'http://127.0.0.1:3105';

  @IsString()
  @baseUrl('POPULATION_URL')
  POPULATION_URL = 'http://127.0.0.1:3101';

  @IsString()
  @baseUrl('BUDGET_URL')
  BUDGET_URL = 'http://127.0.0.1:3102';

  @IsString()
  @baseUrl('NARRATIVES_URL')
  NARRATIVES_URL = 'http://127.0.0.1:3103';

  @IsString()
  @baseUrl('CONTRIBUTIONS_URL')
  CONTRIBUTIONS_URL = 'http://127.0.0.1:3104';

  /** `name:role:key`, comma separated; roles reader and editor. */
  @IsString()
  GATEWAY_API_KEYS = DEFAULT_API_KEYS;

  /** `open`: reads need no key; `key`: reads need a reader or editor key too. */
  @IsIn(['open', 'key'])
  GATEWAY_READ_ACCESS: 'open' | 'key' = 'open';

  /** Requests per window, per API key (or per client address without a valid key). */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_MAX = 600;

  @IsInt()
  @Min(1_000)
  @Max(24 * 3600 * 1000)
  RATE_LIMIT_WINDOW_MS = 60_000;

  /** `POST /api/v1/imports/population` is streamed through, up to this many bytes. */
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  IMPORT_MAX_BYTES = 64 * 1024 * 1024;

  /** Origins allowed by CORS, comma separated; `*` for any, `none` for none (see corsOrigins). */
  @IsOptional()
  @IsString()
  CORS_ORIGINS = '*';

  /** Served at `/` when it exists (the portal's build); default `<repo>/dist/portal`. */
  @IsOptional()
  @IsString()
  PORTAL_DIR = '';

  @IsInt()
  @Min(0)
  @Max(1_000_000)
  VIEW_CACHE_MAX_ENTRIES = 2_000;

  /** A safety net only: entries are dropped on operation-view.updated. */
  @IsInt()
  @Min(0)
  @Max(24 * 3600 * 1000)
  VIEW_CACHE_TTL_MS = 10 * 60_000;

  /** Cache-Control max-age of views; 0 makes clients revalidate (If-None-Match) every time. */
  @IsInt()
  @Min(0)
  @Max(86_400)
  VIEW_MAX_AGE_SECONDS = 0;

  /** Recent contribution events kept for Last-Event-ID resumption. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  CONTRIBUTION_STREAM_BUFFER = 1_000;

  @IsInt()
  @Min(100)
  @Max(600_000)
  UPSTREAM_TIMEOUT_MS = 30_000;

  /** How long a replica that refused, timed out or answered 502/503 is left aside before it is tried again. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  UPSTREAM_DOWN_MS = 5_000;

  /** Parsed GATEWAY_API_KEYS (set by gatewayConfig). */
  apiKeys: ApiKey[] = [];
}

export function gatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const config = loadConfig(GatewayConfig, { PORT: 3000, SERVICE_NAME: 'api-gateway' }, env);
  try {
    config.apiKeys = parseApiKeys(config.GATEWAY_API_KEYS);
  } catch (error) {
    throw new ConfigError(`invalid configuration:\n  ${error instanceof ApiKeyConfigError ? error.message : String(error)}`);
  }
  if (config.NODE_ENV === 'production' && holdsLocalDevKey(config.apiKeys)) {
    throw new ConfigError(
      `invalid configuration:\n  GATEWAY_API_KEYS: the local development key "${LOCAL_DEV_EDITOR_KEY}" is refused in production; set your own keys`,
    );
  }
  config.PORTAL_DIR ||= join(workspaceRoot(), 'dist/portal');
  return config;
}

/** The repository root, from the sources or from their build in dist/out-tsc. */
function workspaceRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
  }
  return resolve(process.cwd());
}

/**
 * The origins CORS allows: `['*']`, a list, or none at all for `none`. (An empty variable
 * reads as unset, like every other, so "none" has a word of its own.)
 */
export function corsOrigins(setting: string): string[] {
  if (setting.trim().toLowerCase() === 'none') return [];
  return setting
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

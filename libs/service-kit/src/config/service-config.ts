import { getMetadataStorage, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

/**
 * Settings every Focus app reads from its environment, with or without a database of its own
 * (the gateway has none). Apps extend it with their own; each field is documented in
 * README's configuration reference.
 */
export class AppConfig {
  @IsOptional()
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  /** 0 takes any free port (tests). */
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT!: number;

  @IsString()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port…]' })
  KAFKA_BROKERS!: string;

  /** Prepended to every topic: lets environments (and test suites) share one cluster. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]*$/)
  KAFKA_TOPIC_PREFIX = '';

  @IsInt()
  @Min(1)
  @Max(100)
  KAFKA_TOPIC_PARTITIONS = 6;

  /** Copies of each topic an app creates; unset: 3, or fewer on a smaller cluster (ensureTopics). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(16)
  KAFKA_REPLICATION_FACTOR?: number;

  /** Its topics' min.insync.replicas; unset: 2 with three copies, 1 with fewer. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(16)
  KAFKA_MIN_INSYNC_REPLICAS?: number;

  /**
   * Fault injection, off by default (0): the outbox relay starts this many ms after start-up,
   * so a test can kill the service after a write is stored but certainly before it is
   * published (tools/faults). Never set in production.
   */
  @IsInt()
  @Min(0)
  @Max(600_000)
  OUTBOX_RELAY_START_DELAY_MS = 0;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  BODY_LIMIT_BYTES = 1024 * 1024;

  @IsOptional()
  @IsString()
  @MinLength(1)
  SERVICE_NAME?: string;
}

/** A domain service: an app that owns a MongoDB database. */
export class ServiceConfig extends AppConfig {
  @IsString()
  @Matches(/^mongodb(\+srv)?:\/\//, { message: 'MONGO_URL must be a mongodb:// or mongodb+srv:// URL' })
  MONGO_URL!: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,63}$/, { message: 'MONGO_DB must be a plain database name' })
  MONGO_DB!: string;
}

/** What ensureTopics (@focus/messaging) takes from the configuration. */
export function kafkaReplication(config: AppConfig): { replicationFactor?: number; minInsyncReplicas?: number } {
  return { replicationFactor: config.KAFKA_REPLICATION_FACTOR, minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const INTEGER = /^-?\d+$/;

/**
 * Reads and validates configuration at start-up. A missing or malformed variable stops the
 * app with a message naming each offending variable, instead of failing later on first use.
 * Only the variables the class declares are read; numbers must be written as integers.
 */
export function loadConfig<T extends AppConfig>(
  configClass: new () => T,
  defaults: Partial<Record<keyof T, string | number>>,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const config = new configClass();
  const fields = config as unknown as Record<string, unknown>;
  const fallbacks = defaults as Record<string, unknown>;
  const raw: Record<string, unknown> = {};
  const integers = integerProperties(configClass);
  for (const key of declaredProperties(configClass)) {
    const fromEnv = env[key];
    const value = fromEnv !== undefined && fromEnv !== '' ? fromEnv : (fallbacks[key] ?? fields[key]);
    raw[key] = integers.has(key) ? toInt(value) : value;
  }
  Object.assign(config, raw);
  const errors = validateSync(config);
  if (errors.length > 0) {
    const lines = errors.map(
      (e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')} (got ${JSON.stringify(raw[e.property]) ?? 'nothing'})`,
    );
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}

function toInt(value: unknown): unknown {
  return typeof value === 'string' && INTEGER.test(value.trim()) ? Number(value) : value;
}

/** The property names class-validator decorates, inherited ones included. */
function declaredProperties(configClass: new () => unknown): string[] {
  return [...new Set(validationMetadata(configClass).map((m) => m.propertyName))];
}

/** Properties declared @IsInt(): their environment strings are read as numbers. */
function integerProperties(configClass: new () => unknown): Set<string> {
  return new Set(
    validationMetadata(configClass)
      .filter((m) => m.name === 'isInt')
      .map((m) => m.propertyName),
  );
}

function validationMetadata(configClass: new () => unknown) {
  return getMetadataStorage().getTargetValidationMetadatas(configClass, '', true, false);
}

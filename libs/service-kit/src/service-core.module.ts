import { DynamicModule, Global, Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import { LoggerModule } from 'nestjs-pino';
import type { Connection } from 'mongoose';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { fixDriverWritesOnDestroyedSockets, MessagingMetrics } from '@focus/messaging';
import { AppConfig, ServiceConfig } from './config/service-config';
import { HealthController } from './health/health.controller';
import { ReadinessRegistry } from './health/readiness';
import { durableConnectionOptions } from './persistence/durability';
import { createAppLogger } from './http/request-logging';

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
/** The app's pino logger (createAppLogger): what request lines are written to. */
export const APP_LOGGER = Symbol('APP_LOGGER');

/** Registers the database with readiness: connected, and answering a ping. */
@Injectable()
class DatabaseReadiness implements OnModuleInit {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit() {
    this.readiness.register({
      name: 'mongodb',
      check: async () => {
        if (this.connection.readyState !== 1 || !this.connection.db) return { ok: false, detail: 'not connected' };
        await this.connection.db.admin().ping();
        return { ok: true };
      },
    });
  }
}

/**
 * What every Focus app has, configured once: validated config, structured logs with request
 * ids, health and readiness, Prometheus metrics. Domain services add their database
 * (ServiceCoreModule); the gateway uses this alone.
 */
@Global()
@Module({})
export class AppCoreModule {
  static forRoot(config: AppConfig, serviceName: string): DynamicModule {
    const logger = createAppLogger(config, serviceName);
    return {
      module: AppCoreModule,
      imports: [
        // nestjs-pino for Nest's own logs only: its request middleware is mounted on no route,
        // as request lines come from a Fastify hook (logRequests, installed by createServiceApp).
        LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: APP_LOGGER, useValue: logger },
        { provide: AppConfig, useValue: config },
        {
          provide: Registry,
          useFactory: () => {
            const registry = new Registry();
            registry.setDefaultLabels({ service: serviceName });
            collectDefaultMetrics({ register: registry });
            return registry;
          },
        },
        { provide: MessagingMetrics, useFactory: (registry: Registry) => new MessagingMetrics(registry), inject: [Registry] },
        ReadinessRegistry,
      ],
      exports: [SERVICE_CONFIG, APP_LOGGER, AppConfig, Registry, MessagingMetrics, ReadinessRegistry],
    };
  }
}

/** An app that owns a MongoDB database: AppCoreModule, the database, and its readiness. */
@Global()
@Module({})
export class ServiceCoreModule {
  static forRoot(config: ServiceConfig, serviceName: string): DynamicModule {
    // Before the first connection: else a restart of the server can leave this process without it for good.
    fixDriverWritesOnDestroyedSockets();
    return {
      module: ServiceCoreModule,
      imports: [
        AppCoreModule.forRoot(config, serviceName),
        MongooseModule.forRoot(config.MONGO_URL, {
          dbName: config.MONGO_DB,
          serverSelectionTimeoutMS: 5_000,
          // Fail requests fast with 503 while the server is away instead of queueing them.
          bufferCommands: false,
          ...durableConnectionOptions(config.MONGO_URL),
        }),
      ],
      providers: [{ provide: ServiceConfig, useValue: config }, DatabaseReadiness],
      exports: [ServiceConfig, AppCoreModule],
    };
  }
}

/** `@InjectConfig() config: PopulationConfig` in an app's providers. */
export const InjectConfig = () => Inject(SERVICE_CONFIG);

import { Injectable, OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { ViewsService } from '../views/views.service';
import { ContributionEvents } from './contribution-events';

/** What the gateway adds to /metrics: how its cache serves, and who follows the stream. */
@Injectable()
export class GatewayMetrics implements OnModuleInit {
  constructor(
    private readonly registry: Registry,
    private readonly views: ViewsService,
    private readonly events: ContributionEvents,
  ) {}

  onModuleInit() {
    const { cache } = this.views;
    const events = this.events;
    new Counter({
      name: 'focus_gateway_view_cache_lookups_total',
      help: 'View reads by whether the cache answered them (hit) or the aggregator did (miss).',
      labelNames: ['result'],
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc({ result: 'hit' }, cache.hits);
        this.inc({ result: 'miss' }, cache.misses);
      },
    });
    new Gauge({
      name: 'focus_gateway_view_cache_entries',
      help: 'Views held in memory.',
      registers: [this.registry],
      collect() {
        this.set(cache.size);
      },
    });
    new Gauge({
      name: 'focus_gateway_view_cache_enabled',
      help: '1 while invalidation events flow and the cache is used; 0 while every read goes to the aggregator.',
      registers: [this.registry],
      collect() {
        this.set(cache.isEnabled() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'focus_gateway_stream_clients',
      help: 'Open Server-Sent Events connections.',
      registers: [this.registry],
      collect() {
        this.set(events.subscribers);
      },
    });
  }
}

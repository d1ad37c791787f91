import { Injectable, OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { CachedAnswerCounts } from '../cached-answers/cached-answers';
import { ViewsService } from '../views/views.service';
import { ContributionEvents } from './contribution-events';

/** What the gateway adds to /metrics: how its cache serves, and who follows the stream. */
@Injectable()
export class GatewayMetrics implements OnModuleInit {
  private cachedAnswers = new CachedAnswerCounts();

  constructor(
    private readonly registry: Registry,
    private readonly views: ViewsService,
    private readonly events: ContributionEvents,
  ) {}

  /** The counts answerFromCache keeps: a cached answer writes no log line, so this is where it shows. */
  countCachedAnswers(counts: CachedAnswerCounts): void {
    this.cachedAnswers = counts;
  }

  onModuleInit() {
    const { cache } = this.views;
    const events = this.events;
    const answers = () => this.cachedAnswers;
    new Counter({
      name: 'focus_gateway_cached_answers_total',
      help: 'Reads answered from the cache before the rest of the pipeline, by status (200, or 304 for a matching If-None-Match).',
      labelNames: ['status'],
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc({ status: '200' }, answers().ok);
        this.inc({ status: '304' }, answers().notModified);
      },
    });
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

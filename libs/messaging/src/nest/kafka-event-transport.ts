import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { BaseRpcContext, CustomTransportStrategy, Server } from '@nestjs/microservices';
import { EventEnvelope } from '@focus/contracts';
import { lastValueFrom, Observable, throwError } from 'rxjs';
import { ConsumerHealth, EventConsumer, EventConsumerOptions, HandleOutcome, MessageContext } from '../consumer/event-consumer';

/** What `@Ctx()` gives an `@EventPattern` handler: where the message came from. */
export class KafkaEventContext extends BaseRpcContext<[MessageContext]> {
  get message(): MessageContext {
    return this.getArgByIndex(0);
  }
}

/**
 * A Nest microservice transport over EventConsumer: handlers are ordinary
 * `@EventPattern('population.figure.upserted')` methods that receive the validated envelope
 * and may return 'skipped'. Events nobody handles are skipped: a consumer ignores the types
 * it doesn't need, which is how new event types stay non-breaking.
 */
export class KafkaEventTransport extends Server implements CustomTransportStrategy {
  private consumer?: EventConsumer;

  constructor(private readonly options: Omit<EventConsumerOptions, 'handler'>) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    this.consumer = new EventConsumer({ ...this.options, handler: { handle: (event, context) => this.dispatch(event, context) } });
    try {
      await this.consumer.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
  }

  health(): ConsumerHealth {
    return this.consumer?.health() ?? { state: 'idle', healthy: false, detail: 'not started' };
  }

  on(): never {
    throw new Error('KafkaEventTransport has no events to subscribe to; use health()');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async dispatch(event: EventEnvelope, context: MessageContext): Promise<HandleOutcome> {
    const handler = this.getHandlerByPattern(event.type);
    if (!handler) return 'skipped';
    const result$ = this.transformToObservable(await handler(event, new KafkaEventContext([context])));
    const result = await lastValueFrom(result$, { defaultValue: undefined });
    return result === 'skipped' ? 'skipped' : 'applied';
  }
}

/**
 * Nest turns any error thrown by an event handler into a generic `{status, message}`; the
 * consumer needs the error itself to tell poison (PermanentError) from an outage. Register
 * this on the microservice: `microservice.useGlobalFilters(new RethrowEventErrors())`.
 */
@Catch()
export class RethrowEventErrors implements RpcExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

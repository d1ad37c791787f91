import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OPERATION_CODE_PATTERN } from '@focus/contracts';
import { badRequest, REQUEST_ID_HEADER } from '@focus/service-kit';
import { RequiresAccess } from '../auth/access.guard';
import { ApiContributionStream, CONTRIBUTION_STREAM_EVENT_TYPES } from '../openapi/api-docs';
import { EventRing, StreamEvent } from './event-ring';
import { ContributionEvents } from './contribution-events';

const HEARTBEAT_MS = 15_000;
const RETRY_MS = 3_000;

@ApiTags('contributions')
@Controller('api/v1/contributions')
export class ContributionsStreamController {
  constructor(private readonly events: ContributionEvents) {}

  /**
   * Server-Sent Events: each contribution event (every type of contributions.events: recorded,
   * updated, cancelled, moved) as it is published, `id:` its envelope id and `data:` the
   * envelope. Nothing is filtered by type: a portal needs "moved" to drop a re-earmarked
   * contribution from the operation it left. A client that reconnects with
   * Last-Event-ID first gets what it missed (from the recent events this gateway holds), then
   * the live stream; an event is never sent twice on one connection.
   */
  @Get('stream')
  @RequiresAccess('read')
  @ApiOperation({
    operationId: 'streamContributions',
    summary: 'Contribution events as Server-Sent Events, resumable with Last-Event-ID.',
    description:
      `Each message: \`id:\` the event id, \`data:\` the event envelope (type ${CONTRIBUTION_STREAM_EVENT_TYPES.join(' | ')}; ` +
      'data: the contribution, at its new state). Reconnect with the Last-Event-ID header (EventSource does) or ?lastEventId= to get what was missed first: ' +
      "exactly, from the gateway that sent the event; from another replica or after a restart, at least once (by event time, with a few seconds' margin). " +
      'Comments (`: ping`) keep the connection open. ?operation= keeps one operation\'s events (UNEARMARKED for unearmarked ones; "moved" under the operation left).',
  })
  @ApiContributionStream()
  stream(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('operation') operation: string | undefined,
    @Query('lastEventId') lastEventIdQuery: string | undefined,
  ) {
    if (operation !== undefined && (typeof operation !== 'string' || !OPERATION_CODE_PATTERN.test(operation))) {
      throw badRequest('operation must be an operation code.', [
        { field: 'operation', message: `must match ${OPERATION_CODE_PATTERN.source}` },
      ]);
    }
    const header = request.headers['last-event-id'];
    const lastEventId = (typeof header === 'string' ? header : typeof lastEventIdQuery === 'string' ? lastEventIdQuery : undefined)?.trim();
    const wanted = (event: StreamEvent) => operation === undefined || event.operationCode === operation;

    const raw = reply.raw;
    // Headers set so far on the reply (CORS, rate limit) are written with the stream's own.
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(reply.getHeaders()))
      if (value !== undefined) headers[name] = value as string | number | string[];
    reply.hijack();
    raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      [REQUEST_ID_HEADER]: String(request.id),
    });
    raw.write(`retry: ${RETRY_MS}\n\n`);

    // What the client missed is sent first (see EventRing for how), then the live stream. While
    // this gateway is still replaying recent history at start-up, replayed events the client
    // missed are sent as they come, too; until then, what went out is remembered (no doubles).
    const mode = this.events.ring.resumeMode(lastEventId);
    let sent: Set<string> | undefined = new Set<string>();
    const send = (event: StreamEvent) => {
      if (!wanted(event) || sent?.has(event.id)) return;
      sent?.add(event.id);
      raw.write(`id: ${event.id}\ndata: ${event.data}\n\n`);
    };
    const deliver = (event: StreamEvent, live: boolean) => {
      if (live || (mode.kind === 'time' && EventRing.missed(mode, event))) send(event);
      if (this.events.caughtUp) sent = undefined;
    };
    // Subscribe first and hold new events until the missed ones are out: none falls between.
    let held: Array<[StreamEvent, boolean]> | undefined = [];
    const unsubscribe = this.events.subscribe(
      (event, live) => (held ? held.push([event, live]) : deliver(event, live)),
      () => raw.end(),
    );
    for (const event of this.events.ring.after(lastEventId)) send(event);
    for (const [event, live] of held) deliver(event, live);
    held = undefined;
    if (this.events.caughtUp) sent = undefined;

    const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    raw.on('close', close);
    raw.on('error', close);
  }
}

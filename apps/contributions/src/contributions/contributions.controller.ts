import { Body, Controller, Get, Headers, Param, PipeTransform, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { centsToUsd, ContributionBodyDto, ContributionState, ListContributionsQueryDto } from '@focus/contracts';
import {
  badRequest,
  Entity,
  etagOf,
  RequestId,
  RequestWriteOptions,
  validationProblem,
  WriteOptions,
  writeResponse,
  WriteResult,
} from '@focus/service-kit';
import { ContributionsService } from './contributions.service';
import { isContributionId } from './list-cursor';

const DEFAULT_PAGE_SIZE = 50;
const IDEMPOTENCY_KEY = /^[\x21-\x7e](?:[\x20-\x7e]{0,198}[\x21-\x7e])?$/;

/** A contribution id in the path: a lower-case UUID, or 400 naming `id`. */
class ContributionIdPipe implements PipeTransform<string, string> {
  transform(raw: string): string {
    const value = String(raw);
    if (!isContributionId(value))
      throw badRequest(`"${value.slice(0, 40)}" is not a contribution id.`, [{ field: 'id', message: 'must be a lower-case UUID' }]);
    return value;
  }
}

/** `Idempotency-Key`: 1 to 200 visible ASCII characters (inner spaces allowed), or absent. */
function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw badRequest('Idempotency-Key must be 1 to 200 visible ASCII characters.', [
      { field: 'Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters' },
    ]);
  }
  return header;
}

@Controller('contributions')
export class ContributionsController {
  constructor(private readonly service: ContributionsService) {}

  /**
   * 201 with Location and ETag when recorded. A retry with the same Idempotency-Key and the
   * same content records nothing: it answers 200 with `Idempotent-Replayed: true` and the
   * contribution as it is now (same id), like a retried PUT answers 200 "unchanged". The same
   * key with different content is 422.
   */
  @Post()
  async record(
    @Body() body: ContributionBodyDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.service.record(body, parseIdempotencyKey(idempotencyKey), { correlationId: requestId });
    if (!outcome.replayed) {
      const id = outcome.result.state?.id;
      if (id) reply.header('location', `/contributions/${id}`);
      return presentWrite(reply, outcome.result);
    }
    reply.header('location', `/contributions/${outcome.entity.id}`).header('idempotent-replayed', 'true');
    return presentWrite(reply, { status: 'unchanged', version: outcome.entity.version, state: outcome.entity.state });
  }

  @Get()
  async list(@Query() query: ListContributionsQueryDto) {
    if (query.since !== undefined && query.until !== undefined && query.since > query.until) {
      throw validationProblem([{ field: 'until', message: 'must not be before since' }]);
    }
    const page = await this.service.list({
      operation: query.operation,
      donor: query.donor,
      since: query.since,
      until: query.until,
      limit: query.limit === undefined ? DEFAULT_PAGE_SIZE : Number(query.limit),
      cursor: query.cursor,
    });
    return { items: page.items.map(present), nextCursor: page.nextCursor };
  }

  @Get(':id')
  async get(@Param('id', ContributionIdPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const entity = await this.service.get(id);
    reply.header('etag', etagOf(entity.version));
    return present(entity);
  }

  /** Full replacement; 404 for an id never recorded (ids are the server's to make). */
  @Put(':id')
  async replace(
    @Param('id', ContributionIdPipe) id: string,
    @Body() body: ContributionBodyDto,
    @RequestWriteOptions() options: WriteOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return presentWrite(reply, await this.service.replace(id, body, options));
  }
}

/** The state as published (cents), plus the amount in dollars as the API takes it. */
function withUsd(state: ContributionState): ContributionState & { amountUsd?: number } {
  return state.amountCents === undefined ? { ...state } : { ...state, amountUsd: centsToUsd(state.amountCents) };
}

function present(entity: Entity<ContributionState>) {
  return { ...withUsd(entity.state), version: entity.version };
}

function presentWrite(reply: FastifyReply, result: WriteResult<ContributionState>) {
  const response = writeResponse(reply, result);
  return response && { ...response, state: response.state && withUsd(response.state) };
}

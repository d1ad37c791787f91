import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';
import { sendProblem } from '../http/problem-details.filter';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from '../http/problem';
import { ReadinessRegistry } from './readiness';

const OPERATIONAL_PATH = /^\/(health\/(live|ready)|metrics)(\?|$)/;

/**
 * Whether a request URL is one of this controller's (health, metrics): asked for all the time
 * by orchestrators and scrapers, so it is neither logged nor rate-limited.
 */
export function isOperationalPath(url: string): boolean {
  return OPERATIONAL_PATH.test(url);
}

const STATUS = (value: string) => ({
  'application/json': {
    schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: [value] }, checks: { type: 'object' } } },
  },
});

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly registry: Registry,
  ) {}

  /** The process runs and its event loop answers; nothing else is asked. */
  @Get('health/live')
  @ApiOperation({ operationId: 'live', summary: 'The process runs.' })
  @ApiResponse({ status: 200, description: 'Alive.', content: STATUS('ok') })
  live() {
    return { status: 'ok' };
  }

  /** Ready to serve: every dependency this app runs answers. 503 problem+json when not. */
  @Get('health/ready')
  @ApiOperation({ operationId: 'ready', summary: 'Every dependency answers; `checks` says which does not.' })
  @ApiResponse({ status: 200, description: 'Ready.', content: STATUS('ready') })
  @ApiResponse({
    status: 503,
    description: 'Not ready (Retry-After).',
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  })
  async ready(@Res() reply: FastifyReply) {
    const { ok, checks } = await this.readiness.run();
    if (ok) return reply.send({ status: 'ready', checks });
    sendProblem(
      reply,
      { type: PROBLEM_TYPES.unavailable, title: 'Not ready', status: 503, detail: 'A dependency is not available.', checks },
      { 'retry-after': '5' },
    );
  }

  @Get('metrics')
  @ApiOperation({ operationId: 'metrics', summary: 'Prometheus metrics.' })
  @ApiResponse({ status: 200, description: 'Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } })
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics() {
    return this.registry.metrics();
  }
}

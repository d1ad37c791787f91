import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';
import { sendProblem } from '../http/problem-details.filter';
import { PROBLEM_TYPES } from '../http/problem';
import { ReadinessRegistry } from './readiness';

@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly registry: Registry,
  ) {}

  /** The process runs and its event loop answers; nothing else is asked. */
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  /** Ready to serve: every dependency this app runs answers. 503 problem+json when not. */
  @Get('health/ready')
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
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics() {
    return this.registry.metrics();
  }
}

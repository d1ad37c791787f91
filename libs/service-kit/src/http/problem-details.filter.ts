import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeError, isInfrastructureError } from '@focus/messaging';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, ProblemDetails, ProblemException } from './problem';

const INTERNAL: ProblemDetails = {
  type: PROBLEM_TYPES.internal,
  title: 'Internal error',
  status: 500,
  detail: 'An unexpected error occurred.',
};

/** Seconds a client should wait when a server we depend on is down. */
const RETRY_AFTER_SECONDS = 5;

const FASTIFY_ERRORS: Record<string, { status: number; type: string; title: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, type: PROBLEM_TYPES.tooLarge, title: 'Payload too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, type: PROBLEM_TYPES.unsupportedMediaType, title: 'Unsupported media type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, type: PROBLEM_TYPES.malformed, title: 'Malformed request' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, type: PROBLEM_TYPES.malformed, title: 'Malformed request' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, type: PROBLEM_TYPES.malformed, title: 'Malformed request' },
};

/**
 * Every error leaves as RFC 9457 problem+json: ours as thrown, Nest's HTTP exceptions and
 * Fastify's body-parser errors translated, an unavailable database or broker as 503 with
 * Retry-After, and anything else as a 500 that reveals nothing internal.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // Whatever goes wrong here must still answer problem+json and leave a line: a filter that
    // throws hands the request to Fastify's last-resort 500, which says nothing anywhere.
    let answer: ReturnType<typeof toProblem>;
    try {
      answer = toProblem(exception);
    } catch (failure) {
      answer = { problem: { ...INTERNAL }, headers: {} };
      this.logger.error(
        { requestId: request.id, error: describeError(exception), filterFailure: describeError(failure) },
        'error not classified',
      );
    }
    const { problem, headers } = answer;
    problem.instance ??= request.url;
    if (problem.status >= 500) {
      try {
        this.logger.error({ err: exception, requestId: request.id }, problem.detail ?? problem.title);
      } catch (failure) {
        this.logger.error({ requestId: request.id, error: describeError(exception), logFailure: describeError(failure) }, problem.title);
      }
    }
    sendProblem(reply, problem, headers);
  }
}

export function sendProblem(reply: FastifyReply, problem: ProblemDetails, headers: Record<string, string> = {}): void {
  reply.status(problem.status).headers(headers).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}

export function toProblem(exception: unknown): { problem: ProblemDetails; headers: Record<string, string> } {
  if (exception instanceof ProblemException) return { problem: { ...exception.problem }, headers: exception.headers };
  const code = (exception as { code?: unknown })?.code;
  const fastify = typeof code === 'string' ? FASTIFY_ERRORS[code] : undefined;
  if (fastify) {
    return { problem: { ...fastify, detail: (exception as Error).message }, headers: {} };
  }
  if (exception instanceof SyntaxError || (exception as { statusCode?: number })?.statusCode === 400) {
    return {
      problem: { type: PROBLEM_TYPES.malformed, title: 'Malformed request', status: 400, detail: 'The body is not valid JSON.' },
      headers: {},
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const detail = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
    return {
      problem: {
        type: PROBLEM_TYPES.http,
        title: exception.name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'),
        status,
        detail: String(detail),
      },
      headers: {},
    };
  }
  if (isInfrastructureError(exception)) {
    return {
      problem: {
        type: PROBLEM_TYPES.unavailable,
        title: 'Service unavailable',
        status: 503,
        detail: 'A server this service depends on is unavailable; retry shortly.',
      },
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
    };
  }
  return { problem: { ...INTERNAL }, headers: {} };
}

import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { InjectConfig, ProblemException, PROBLEM_TYPES } from '@focus/service-kit';
import { GatewayConfig } from '../config';
import { ApiKey, ApiKeyRing, Role, roleAllows } from './api-keys';

export const API_KEY_HEADER = 'x-api-key';
const ACCESS = Symbol('access');

/** `read`: open unless GATEWAY_READ_ACCESS=key; `write`: an editor key. */
export type Access = 'read' | 'write';
export const RequiresAccess = (access: Access) => SetMetadata(ACCESS, access);

/** The key a request presented, once identified (undefined: none, or not a configured one). */
export interface IdentifiedRequest {
  apiKey?: ApiKey;
  apiKeyPresented?: boolean;
}

/** A request as access sees it: Fastify's, or Node's own at the front door (front-door.ts). */
export interface HeadedRequest {
  headers: IncomingHttpHeaders;
}

/** Identifies the presented key once per request, before the rate limiter and the guard ask. */
export function identifyRequest(ring: ApiKeyRing, request: HeadedRequest): IdentifiedRequest {
  const identified = request as HeadedRequest & IdentifiedRequest;
  if (identified.apiKeyPresented === undefined) {
    const presented = request.headers[API_KEY_HEADER];
    identified.apiKeyPresented = presented !== undefined;
    identified.apiKey = ring.identify(presented);
  }
  return identified;
}

/** The role `access` needs under this configuration; undefined when it is open to anyone. */
export function roleNeeded(access: Access, config: GatewayConfig): Role | undefined {
  if (access === 'write') return 'editor';
  return config.GATEWAY_READ_ACCESS === 'key' ? 'reader' : undefined;
}

/** Whether the request may do `access` (no answer: the guard explains a refusal). */
export function mayAccess(ring: ApiKeyRing, config: GatewayConfig, request: HeadedRequest, access: Access): boolean {
  const needed = roleNeeded(access, config);
  if (needed === undefined) return true;
  const { apiKey } = identifyRequest(ring, request);
  return apiKey !== undefined && roleAllows(apiKey.role, needed);
}

/**
 * Writes need an editor key in `x-api-key`: none or an unknown one is 401, a reader's is 403.
 * Reads are open unless configured otherwise. Routes without @RequiresAccess are open.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly ring: ApiKeyRing,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    if (access === undefined) return true;
    const needed = roleNeeded(access, this.config);
    if (needed === undefined) return true;
    const { apiKey, apiKeyPresented } = identifyRequest(this.ring, context.switchToHttp().getRequest<FastifyRequest>());
    if (!apiKey) {
      throw new ProblemException(
        {
          type: PROBLEM_TYPES.unauthorized,
          title: 'Unauthorized',
          status: 401,
          detail: apiKeyPresented
            ? 'The API key in x-api-key is not valid.'
            : `This request needs an API key with the ${needed} role in x-api-key.`,
        },
        { 'www-authenticate': `ApiKey header="${API_KEY_HEADER}"` },
      );
    }
    if (!roleAllows(apiKey.role, needed)) {
      throw new ProblemException({
        type: PROBLEM_TYPES.forbidden,
        title: 'Forbidden',
        status: 403,
        detail: `The API key "${apiKey.name}" has the ${apiKey.role} role; this request needs ${needed}.`,
      });
    }
    return true;
  }
}

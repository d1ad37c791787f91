import { HttpException } from '@nestjs/common';

/** One failing input, named by its path in the request (`value`, `items[2].text.en`, `year`). */
export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, as every error response of every app carries them. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem types, one per kind of failure a client can act on. */
export const PROBLEM_TYPES = {
  validation: 'urn:focus:problem:validation',
  malformed: 'urn:focus:problem:malformed-request',
  notFound: 'urn:focus:problem:not-found',
  conflict: 'urn:focus:problem:precondition-failed',
  tooLarge: 'urn:focus:problem:payload-too-large',
  unsupportedMediaType: 'urn:focus:problem:unsupported-media-type',
  unauthorized: 'urn:focus:problem:unauthorized',
  forbidden: 'urn:focus:problem:forbidden',
  rateLimited: 'urn:focus:problem:rate-limited',
  unavailable: 'urn:focus:problem:service-unavailable',
  internal: 'urn:focus:problem:internal',
  http: 'about:blank',
} as const;

/** Throw anywhere in a request: the filter renders it as it is. */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: ProblemDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem, problem.status);
    this.message = problem.detail ?? problem.title;
  }
}

export function validationProblem(errors: FieldError[], detail = 'The request has invalid fields.'): ProblemException {
  return new ProblemException({ type: PROBLEM_TYPES.validation, title: 'Invalid request', status: 422, detail, errors });
}

export function notFound(detail: string): ProblemException {
  return new ProblemException({ type: PROBLEM_TYPES.notFound, title: 'Not found', status: 404, detail });
}

export function preconditionFailed(detail: string, currentVersion?: number): ProblemException {
  return new ProblemException({ type: PROBLEM_TYPES.conflict, title: 'Precondition failed', status: 412, detail, currentVersion });
}

export function badRequest(detail: string, errors?: FieldError[]): ProblemException {
  return new ProblemException({ type: PROBLEM_TYPES.malformed, title: 'Malformed request', status: 400, detail, errors });
}

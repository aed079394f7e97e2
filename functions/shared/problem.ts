import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, type ErrorKind, type FieldError } from '../../domain/shared/errors';

/** The one mapping from domain error kinds to HTTP statuses. */
const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_mismatch: 422,
  precondition_required: 428,
};

const TITLE: Record<ErrorKind, string> = {
  validation: 'The request is not valid',
  unauthenticated: 'Authentication required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Conflict with the current state',
  precondition_failed: 'The resource has changed',
  payload_too_large: 'Request body too large',
  unsupported_media_type: 'Unsupported media type',
  idempotency_mismatch: 'Idempotency key reused',
  precondition_required: 'If-Match required',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
}

/** RFC 9457 problem details. `type` is a stable relative URI per code. */
export function problemFor(error: unknown, requestId: string | undefined): Problem {
  if (error instanceof DomainError) {
    const problem: Problem = {
      type: `/problems/${error.code}`,
      title: TITLE[error.kind],
      status: STATUS[error.kind],
      detail: error.message,
      code: error.code,
    };
    if (requestId) problem.requestId = requestId;
    if (error.fieldErrors.length > 0) problem.errors = error.fieldErrors;
    return problem;
  }
  return {
    type: '/problems/internal_error',
    title: 'Internal error',
    status: 500,
    detail: 'Something went wrong on our side. Quote the request id when you report it.',
    code: 'internal_error',
    ...(requestId ? { requestId } : {}),
  };
}

export function problemResponse(problem: Problem, extraHeaders: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json', ...extraHeaders },
    body: JSON.stringify(problem),
  };
}

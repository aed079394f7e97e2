/**
 * The business error hierarchy. Each error carries a stable machine-readable `code` that clients
 * may switch on; the HTTP layer maps the error's `kind` to a status exactly once
 * (functions/shared/problem.ts), so nothing here knows about HTTP.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'precondition_required'
  | 'idempotency_mismatch'
  | 'unsupported_media_type'
  | 'payload_too_large';

export interface FieldError {
  /** JSON-pointer-like path of the offending field, e.g. `contacts/0/email` or `query/limit`. */
  path: string;
  message: string;
  code?: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, fieldErrors: FieldError[] = [], code = 'validation_failed') {
    super('validation', code, message, fieldErrors);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid bearer token is required.') {
    super('unauthenticated', 'unauthenticated', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string, code = 'forbidden') {
    super('forbidden', code, message);
  }
}

/** Also used when an object exists but belongs to another tenant: its existence is not disclosed. */
export class NotFoundError extends DomainError {
  constructor(entity: string, id: string) {
    super('not_found', 'not_found', `${entity} ${id} was not found.`);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string) {
    super('conflict', code, message);
  }
}

export class VersionMismatchError extends DomainError {
  constructor(entity: string, id: string) {
    super(
      'precondition_failed',
      'version_mismatch',
      `${entity} ${id} was changed by someone else; fetch it again and retry with the new ETag.`,
    );
  }
}

export class PreconditionRequiredError extends DomainError {
  constructor() {
    super('precondition_required', 'if_match_required', 'This update needs an If-Match header with the ETag you read.');
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super(
      'idempotency_mismatch',
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request body.',
    );
  }
}

// The named errors route code throws; errorHandler.ts maps them to responses in one
// place. Messages are shown to clients, so they must never carry secrets or internals.
export class HttpError extends Error {
  override readonly name: string = 'HttpError';
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.code = code;
    this.details = details ?? null;
  }

  /** Headers the answer must carry (e.g. Retry-After on a 429). */
  get headers(): Readonly<Record<string, string>> {
    return {};
  }
}

export class BadRequestError extends HttpError {
  override readonly name = 'BadRequestError';
  constructor(message: string, details?: unknown) {
    super(400, 'bad_request', message, details);
  }
}

export class UnauthorizedError extends HttpError {
  override readonly name = 'UnauthorizedError';
  constructor(message = 'a valid API token is required') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends HttpError {
  override readonly name = 'ForbiddenError';
  constructor(message = 'not allowed') {
    super(403, 'forbidden', message);
  }
}

export class ConflictError extends HttpError {
  override readonly name = 'ConflictError';
  constructor(message: string, details?: unknown) {
    super(409, 'conflict', message, details);
  }
}

export class TooManyRequestsError extends HttpError {
  override readonly name = 'TooManyRequestsError';
  constructor(message: string, details?: unknown) {
    super(429, 'too_many_requests', message, details);
  }
}

export class ServiceUnavailableError extends HttpError {
  override readonly name = 'ServiceUnavailableError';
  constructor(code: string, message: string, details?: unknown) {
    super(503, code, message, details);
  }
}

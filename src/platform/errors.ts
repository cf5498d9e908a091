/** An error a user caused or may see: it carries an HTTP status and a stable code for clients. */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The record does not exist, or the actor may not know that it does. */
export function notFound(message = 'Not found'): DomainError {
  return new DomainError(404, 'not_found', message);
}

/** The request is malformed: a parameter or field has a value we cannot use. */
export function badRequest(message: string, code = 'bad_request'): DomainError {
  return new DomainError(400, code, message);
}

/** The request conflicts with the current state (a duplicate slug, a stale version). */
export function conflict(message: string): DomainError {
  return new DomainError(409, 'conflict', message);
}

/** A dependency the request needs is down (the database, say). */
export function unavailable(message: string): DomainError {
  return new DomainError(503, 'unavailable', message);
}

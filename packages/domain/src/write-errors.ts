// The expected failures of a write, as values a transport can show field by field. Each is a
// DomainError too, so a caller that does not know them still maps them by code.
import { DomainError } from './errors.ts';

/** Where in the request a value was wrong: argument name, then fields and list indexes. */
export type FieldPath = string[];
export type FieldError = { path: FieldPath; message: string };

export class ValidationError extends DomainError {
  readonly fieldErrors: FieldError[];
  constructor(fieldErrors: FieldError[], message?: string) {
    super('BAD_USER_INPUT', message ?? summarize(fieldErrors));
    this.name = 'ValidationError';
    this.fieldErrors = fieldErrors;
  }
}

export class NotFoundError extends DomainError {
  readonly typename: string;
  /** The ID as the client sent it. */
  readonly id: string;
  constructor(typename: string, id: string, message?: string) {
    super('NOT_FOUND', message ?? `No ${typename} has the ID ${id}, or it was deleted.`);
    this.name = 'NotFoundError';
    this.typename = typename;
    this.id = id;
  }
}

export class ConflictError extends DomainError {
  readonly currentVersion: number;
  constructor(typename: string, currentVersion: number, expectedVersion: number) {
    super(
      'CONFLICT',
      `The ${typename} is at version ${currentVersion}, not ${expectedVersion}: someone changed it since you read it. ` +
        'Nothing was written; read it again and reapply your change with expectedVersion ' +
        `${currentVersion}.`,
    );
    this.name = 'ConflictError';
    this.currentVersion = currentVersion;
  }
}

/** One error at one path. */
export const invalid = (path: FieldPath, message: string) => new ValidationError([{ path, message }]);

function summarize(errors: FieldError[]): string {
  const [first] = errors;
  if (!first) return 'The input is not valid.';
  const where = first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  const more =
    errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
  return `${where}${first.message}${more}`;
}

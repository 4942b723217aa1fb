import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// What we learn about one HTTP request while serving it, for its log line and its metrics. The HTTP
// layer opens it; Apollo plugins fill in the operation, its cost and its errors.

export type RequestRecord = {
  id: string;
  method: string;
  path: string;
  route: 'graphql' | 'healthz' | 'readyz' | 'metrics' | 'other';
  ip: string;
  startedAt: bigint;
  status?: number;
  /** Resolved operation name; `operationName` the client sent until then. */
  operationName?: string | null;
  operationType?: 'query' | 'mutation' | 'subscription';
  cost?: number;
  sqlStatements?: number;
  /** Whether the response cache answered (hit) or was asked and did not (miss); unset: not asked. */
  cache?: 'hit' | 'miss';
  /** Answered by its compiled statement (compiled-reads/) rather than the resolvers. */
  compiled?: boolean;
  /** Codes of every error in the response, in order. */
  errorCodes: string[];
  /** The response carries only GraphQL request errors (syntax, validation, limits, variables). */
  requestErrorsOnly?: boolean;
};

const records = new WeakMap<object, RequestRecord>();
/** Ties a record to the object Apollo hands plugins as `request.http`. */
export function attachRecord(httpRequest: object, record: RequestRecord): void {
  records.set(httpRequest, record);
}

export function recordOf(httpRequest: object | undefined): RequestRecord | undefined {
  return httpRequest ? records.get(httpRequest) : undefined;
}

const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The request's id: a fresh UUID, or the one a trusted proxy in front of us assigned (so a request
 * can be followed through both logs). A client's own id is never trusted: ids must not collide.
 */
export function requestIdFor(req: IncomingMessage, trustProxy: boolean): string {
  const incoming = req.headers['x-request-id'];
  if (trustProxy && typeof incoming === 'string' && INCOMING_ID.test(incoming)) return incoming;
  return randomUUID();
}

/** Milliseconds since the record was opened. */
export function elapsedMs(record: RequestRecord): number {
  return Number(process.hrtime.bigint() - record.startedAt) / 1e6;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, responseType } from './media.ts';
import type { RequestRecord } from './request-record.ts';

export type ErrorBody = { message: string; code: string; extensions?: Record<string, unknown> };

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = `${APPLICATION_JSON}; charset=utf-8`,
): void {
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.end(JSON.stringify(body));
}

/**
 * Answers a GraphQL request with errors we raise ourselves, in the JSON flavour the client asked
 * for. `requestError` marks a well-formed request whose document we refuse (a limit): as for every
 * GraphQL request error, its status is 400 in `application/graphql-response+json` and 200 in plain
 * `application/json`, as GraphQL over HTTP asks. Transport problems keep their status whatever the type.
 */
export function sendGraphQLErrors(
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
  status: number,
  errors: ErrorBody[],
  options: { requestError?: boolean; headers?: Record<string, string> } = {},
): void {
  const type = responseType(req.headers.accept);
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  record.errorCodes.push(...errors.map((e) => e.code));
  const finalStatus = options.requestError && type !== GRAPHQL_RESPONSE_JSON ? 200 : status;
  sendJson(
    res,
    finalStatus,
    {
      errors: errors.map((e) => ({ message: e.message, extensions: { code: e.code, ...e.extensions } })),
    },
    `${type}; charset=utf-8`,
  );
}

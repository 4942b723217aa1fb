import type { IncomingMessage } from 'node:http';
import { HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { readBody } from './body.ts';
import { checkBodyType } from './media.ts';

// Turns an HTTP request to /graphql into what Apollo executes, refusing what is not a GraphQL
// request before any of it is parsed: other methods (405), bodies that are not UTF-8 JSON (415),
// bodies over the size limit (413), malformed JSON (400) and batches (400). Apollo checks the rest
// of the request's form (parameter types, CSRF, GET mutations).

export type Refusal = {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
};

export type GraphQLHttpInput =
  | {
      ok: true;
      httpGraphQLRequest: HTTPGraphQLRequest;
      /** The document text, when the request carries one as a string. */
      query: string | undefined;
      /** `operationName` as the client sent it, when it is a GraphQL name. */
      operationName: string | undefined;
      /** The JSON body as sent (POST). */
      bodyText: string | undefined;
    }
  | { ok: false; refusal: Refusal };

const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

export async function readGraphQLRequest(
  req: IncomingMessage,
  url: URL,
  options: { maxBodyBytes: number },
): Promise<GraphQLHttpInput> {
  const method = (req.method ?? 'GET').toUpperCase();
  const headers = toHeaderMap(req);
  if (method === 'GET') {
    const params = url.searchParams;
    const queries = params.getAll('query');
    const names = params.getAll('operationName');
    return accepted(
      { method, headers, search: url.search, body: undefined },
      queries.length === 1 ? queries[0] : undefined,
      names.length === 1 ? names[0] : undefined,
      undefined,
    );
  }
  if (method !== 'POST')
    return refused({
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
      message: `${method.slice(0, 20)} is not supported here; send GraphQL as POST (or GET for queries).`,
      headers: { allow: 'GET, POST' },
    });

  const typeProblem = checkBodyType(req.headers['content-type']);
  if (typeProblem)
    return refused({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: typeProblem.message });

  const body = await readBody(req, options.maxBodyBytes);
  if (!body.ok)
    return body.problem === 'too-large'
      ? refused({
          status: 413,
          code: 'PAYLOAD_TOO_LARGE',
          message: `The request body is over ${options.maxBodyBytes} bytes, the most accepted; send a smaller document or fewer variables.`,
          headers: { connection: 'close' },
        })
      : refused({
          status: 400,
          code: 'BAD_REQUEST',
          message: 'The request body is not valid UTF-8; send JSON encoded in UTF-8.',
        });
  if (body.text.trim() === '')
    return refused({
      status: 400,
      code: 'BAD_REQUEST',
      message:
        'The request body is empty; send a JSON object such as {"query": "{ treaties { totalCount } }"}.',
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text);
  } catch (error) {
    return refused({
      status: 400,
      code: 'BAD_REQUEST',
      message: `The request body is not valid JSON (${(error as Error).message.slice(0, 200)}); send a JSON object with a \`query\` string.`,
    });
  }
  if (Array.isArray(parsed))
    return refused({
      status: 400,
      code: 'BATCHING_NOT_SUPPORTED',
      message:
        'Batched requests (a JSON array of operations) are not accepted; send one operation per request.',
    });
  if (parsed === null || typeof parsed !== 'object')
    return refused({
      status: 400,
      code: 'BAD_REQUEST',
      message: `The request body is JSON ${parsed === null ? 'null' : typeof parsed}, not an object; send {"query": "…", "variables": {…}, "operationName": "…"}.`,
    });
  const fields = parsed as Record<string, unknown>;
  return accepted(
    { method, headers, search: url.search, body: parsed },
    typeof fields.query === 'string' ? fields.query : undefined,
    typeof fields.operationName === 'string' ? fields.operationName : undefined,
    body.text,
  );
}

function accepted(
  httpGraphQLRequest: HTTPGraphQLRequest,
  query: string | undefined,
  operationName: string | undefined,
  bodyText: string | undefined,
): GraphQLHttpInput {
  return {
    ok: true,
    httpGraphQLRequest,
    query,
    bodyText,
    operationName: operationName !== undefined && NAME.test(operationName) ? operationName : undefined,
  };
}

const refused = (refusal: Refusal): GraphQLHttpInput => ({ ok: false, refusal });

function toHeaderMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

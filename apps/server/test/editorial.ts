// Helpers for the editorial (write API) suites: tokens of every role, and GraphQL through them.

import type { TokenRole } from '@chancery/domain/viewer';
import type { GraphQLResponse, TestServer } from './http.ts';

export { createTokens } from '@chancery/db/testing';

export type Role = TokenRole;

export type Tokens = Record<Role, string>;

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A client that sends one token (or none) with every request. */
export function as(api: TestServer, token: string | null) {
  return <Data = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<Data>> => api.graphql<Data>(query, variables, token ? bearer(token) : {});
}

/** The global ID of a row, as the API hands it out. */
export const gid = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64url');

/** The union member a mutation returned, failing loudly on a GraphQL error. */
export function result(response: GraphQLResponse, field: string): any {
  if (response.errors) throw new Error(`${field}: ${JSON.stringify(response.errors)}`);
  return response.data?.[field];
}

export const ERROR_FIELDS = `
  __typename
  ... on Error { message }
  ... on ValidationError { fieldErrors { path message } }
  ... on ConflictError { currentVersion }
  ... on NotFoundError { id }
`;

type Client = ReturnType<typeof as>;

let serial = 0;
/** A name no other record of the suite has. */
export const unique = (prefix: string) => `${prefix} ${++serial}`;

/** Builds records through the API, as an editor would. Each returns the new record's id and version. */
export function builders(client: Client) {
  const create = async (
    mutation: string,
    field: string,
    payload: string,
    variables: Record<string, unknown>,
  ) => {
    const response = await client(
      `mutation ($input: ${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { ${ERROR_FIELDS} ... on ${payload} { ${field} { id version } } } }`,
      { input: variables },
    );
    const value = result(response, mutation);
    if (!value?.[field]) throw new Error(`${mutation} failed: ${JSON.stringify(value)}`);
    return value[field] as { id: string; version: number };
  };
  return {
    actor: (input: Record<string, unknown> = {}) =>
      create('createActor', 'actor', 'ActorPayload', { name: unique('Actor'), kind: 'PERSON', ...input }),
    state: (input: Record<string, unknown> = {}) =>
      create('createActor', 'actor', 'ActorPayload', { name: unique('State'), kind: 'STATE', ...input }),
    treaty: (input: Record<string, unknown> = {}) =>
      create('createTreaty', 'treaty', 'TreatyPayload', { title: unique('Treaty'), ...input }),
    provision: (treatyId: string, input: Record<string, unknown> = {}) =>
      create('createTreatyProvision', 'provision', 'TreatyProvisionPayload', {
        treatyId,
        number: unique('Art.').replace(' ', '-'),
        ...input,
      }),
    action: (treatyId: string, input: Record<string, unknown> = {}) =>
      create('createTreatyAction', 'action', 'TreatyActionPayload', {
        treatyId,
        type: 'SIGNATURE',
        ...input,
      }),
    article: (input: Record<string, unknown> = {}) =>
      create('createArticle', 'article', 'ArticlePayload', {
        headline: unique('Story'),
        paragraphs: ['"We will sign," the minister said.', 'Talks continue.'],
        ...input,
      }),
    statement: (articleId: string, input: Record<string, unknown> = {}) =>
      create('createStatement', 'statement', 'StatementPayload', {
        source: { articleId, paragraph: 0, text: 'We will sign' },
        kind: 'DIRECT',
        ...input,
      }),
    async publish(article: { id: string; version: number }) {
      const response = await client(
        `mutation ($id: ID!, $v: Int!) { publishArticle(id: $id, expectedVersion: $v) { ${ERROR_FIELDS} ... on ArticlePayload { article { id version } } } }`,
        { id: article.id, v: article.version },
      );
      return result(response, 'publishArticle').article as { id: string; version: number };
    },
    async remove(kind: string, node: { id: string; version: number }) {
      const response = await client(
        `mutation ($id: ID!, $v: Int!) { delete${kind}(id: $id, expectedVersion: $v) { ${ERROR_FIELDS} } }`,
        { id: node.id, v: node.version },
      );
      const value = result(response, `delete${kind}`);
      if (!value.__typename.endsWith('Payload'))
        throw new Error(`delete${kind} failed: ${JSON.stringify(value)}`);
      return { id: node.id, version: node.version + 1 };
    },
  };
}

// Trusted documents: given a manifest of persisted documents (sha256 hash of the text → the text, as
// @chancery/sdk's codegen writes it), the server executes only those operations, whether a client
// sends the hash alone (Apollo-style `extensions.persistedQuery`) or the full text. Anything else
// is answered with PERSISTED_QUERY_NOT_FOUND (an unknown hash) or OPERATION_NOT_TRUSTED (any other
// text) and never executed — nor validated, so error messages cannot be used to probe the schema.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { ConfigError } from '@chancery/db/config';
import { GraphQLError } from 'graphql';
import type { Context } from './context.ts';

export type TrustedManifest = {
  /** Where it was read from, for messages. */
  path: string;
  /** Document text by the sha256 hash (hex) of that text. */
  documents: ReadonlyMap<string, string>;
};

export type TrustedDocumentsOptions = {
  /** The manifest, or the path of its JSON file (read once, at start). */
  manifest: TrustedManifest | string;
  /** Admin viewers may run any operation (CHANCERY_TRUSTED_DOCUMENTS_ADMIN_BYPASS=1). */
  adminBypass?: boolean;
};

/** Why a manifest file cannot be used; the message says what is wrong and what is expected. */
export class TrustedManifestError extends Error {
  override name = 'TrustedManifestError';
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const EXPECTED =
  'expected the persisted-documents.json that @chancery/sdk\'s codegen writes: {"<sha256 hex of the text>": "<document text>", …}';

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Reads and checks a manifest: every key must be the sha256 hash of its document. */
export function readTrustedManifest(path: string): TrustedManifest {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new TrustedManifestError(`cannot read ${absolute} (${reason}); ${EXPECTED}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TrustedManifestError(`${absolute} is not JSON (${(error as Error).message}); ${EXPECTED}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TrustedManifestError(`${absolute} is not a JSON object; ${EXPECTED}`);
  }
  const documents = new Map<string, string>();
  for (const [hash, document] of Object.entries(parsed)) {
    if (typeof document !== 'string' || !SHA256_HEX.test(hash) || sha256(document) !== hash) {
      throw new TrustedManifestError(
        `${absolute}: entry ${JSON.stringify(hash.slice(0, 80))} is not a document keyed by the sha256 hash ` +
          `of its text; ${EXPECTED}`,
      );
    }
    documents.set(hash, document);
  }
  if (documents.size === 0) {
    throw new TrustedManifestError(`${absolute} lists no documents, so every operation would be refused`);
  }
  return { path: absolute, documents };
}

type Verdict = 'trusted' | 'unknown-hash' | 'untrusted';

/**
 * The Apollo plugin. A known hash sent alone gets its text filled in before Apollo looks for it;
 * every other request is checked by the hash of its text. A request that is not trusted stops at
 * `didResolveOperation` at the latest, and its response is replaced by the one error that says why.
 */
export function trustedDocumentsPlugin(options: TrustedDocumentsOptions): ApolloServerPlugin<Context> {
  let manifest: TrustedManifest;
  try {
    manifest =
      typeof options.manifest === 'string' ? readTrustedManifest(options.manifest) : options.manifest;
  } catch (error) {
    if (!(error instanceof TrustedManifestError)) throw error;
    // main.ts prints a ConfigError's message alone and exits: the server does not start.
    throw new ConfigError(`Trusted documents (CHANCERY_TRUSTED_DOCUMENTS): ${error.message}`);
  }
  const { documents } = manifest;

  return {
    async requestDidStart({ request, contextValue }) {
      if (options.adminBypass && contextValue.viewer.role === 'admin') return;
      const sentHash = (request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)
        ?.sha256Hash;
      let verdict: Verdict;
      let textHash: string | null = null;
      if (typeof request.query === 'string' && request.query !== '') {
        textHash = sha256(request.query);
        verdict = documents.has(textHash) ? 'trusted' : 'untrusted';
      } else if (typeof sentHash === 'string' && documents.has(sentHash)) {
        // Apollo reads the text from here; it also checks that the hash matches it.
        request.query = documents.get(sentHash);
        verdict = 'trusted';
      } else if (sentHash !== undefined) {
        // Apollo answers PERSISTED_QUERY_NOT_FOUND unless its own cache holds the hash (text an
        // admin sent under the bypass); then it is refused below, before execution.
        verdict = 'unknown-hash';
      } else {
        return; // Neither text nor hash: Apollo refuses the request itself.
      }
      if (verdict === 'trusted') return;

      return {
        async didResolveOperation() {
          throw verdict === 'unknown-hash' ? persistedQueryNotFound() : notTrusted(textHash!);
        },
        async willSendResponse({ response }) {
          // Whatever stopped the request first (a syntax or validation error, say), the client
          // learns only that the operation is not trusted.
          if (verdict !== 'untrusted' || response.body.kind !== 'single') return;
          response.body.singleResult = {
            errors: [
              { message: notTrustedMessage(textHash!), extensions: { code: 'OPERATION_NOT_TRUSTED' } },
            ],
          };
          response.http.status = 400;
        },
      };
    },
  };
}

const notTrustedMessage = (hash: string) =>
  'This server runs only trusted operations, and this is not one of them: the sha256 hash of its ' +
  `text (${hash}) is not in the server's manifest. Send the operations of @chancery/sdk, by their ` +
  'text or by their hash.';

function notTrusted(hash: string): GraphQLError {
  return new GraphQLError(notTrustedMessage(hash), {
    extensions: { code: 'OPERATION_NOT_TRUSTED', http: { status: 400 } },
  });
}

function persistedQueryNotFound(): GraphQLError {
  // The message is the one Apollo's persisted-query clients look for.
  return new GraphQLError('PersistedQueryNotFound', { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
}

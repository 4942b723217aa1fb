// The one Chancery client of the app. The API is served by the same origin at /graphql (`npm start`
// or the dev server's proxy); VITE_CHANCERY_API_URL points the build elsewhere. No token: the
// reader shows published content, which needs none. The core client carries no operations: each
// page imports the documents it runs from @chancery/sdk/documents, and the bundle keeps only those.
import { createChanceryCoreClient } from '@chancery/sdk/core';
import { ChanceryError } from '@chancery/sdk/errors';

export const client = createChanceryCoreClient({
  // Outside a browser (unit tests render components) there is no page origin to resolve against.
  url: new URL(
    import.meta.env.VITE_CHANCERY_API_URL ?? '/graphql',
    globalThis.location?.origin ?? 'http://127.0.0.1:4000',
  ),
});

/** What to tell a reader when a request failed. */
export function describeError(error: unknown): { title: string; detail: string } {
  if (error instanceof ChanceryError) {
    switch (error.code) {
      case 'NETWORK_ERROR':
        return {
          title: 'The Chancery API cannot be reached',
          detail: 'Check your connection, or that the server is running, and try again.',
        };
      case 'RATE_LIMITED':
        return { title: 'Too many requests', detail: error.message };
      case 'BAD_USER_INPUT':
        return { title: 'That request was not understood', detail: error.message };
      case 'BAD_RESPONSE':
        return { title: 'The API answered with something unexpected', detail: error.message };
      default:
        return { title: 'Something went wrong', detail: error.message };
    }
  }
  return { title: 'Something went wrong', detail: error instanceof Error ? error.message : String(error) };
}

import { createHash } from 'node:crypto';
import { inspectDocument } from './document.ts';
import type { QueryLimits } from './limits.ts';

/**
 * Checks a query's text against the document limits before Apollo parses and validates it. The
 * verdict depends on the text alone, so it is remembered: clients send the same few documents over
 * and over, and a refused one costs a lookup the second time.
 */
export type DocumentGuard = {
  /** Why the document is refused, or null when it may go on (validation judges the rest). */
  check(query: string): DocumentRefusal | null;
};

export type DocumentRefusal = {
  code: string;
  message: string;
  /** For a limit: the most allowed, and what the document asked for. */
  limit?: { max: number; requested: number };
};

const CACHE_SIZE = 1_000;
// Longer texts are remembered by their hash: a 256 KB key would hold on to 256 KB.
const LONGEST_KEPT_TEXT = 2_048;

export function createDocumentGuard(limits: QueryLimits): DocumentGuard {
  const verdicts = new Map<string, DocumentRefusal | null>();
  return {
    check(query) {
      const key =
        query.length <= LONGEST_KEPT_TEXT ? query : `#${createHash('sha256').update(query).digest('base64')}`;
      const known = verdicts.get(key);
      if (known !== undefined) {
        // Least recently used goes first: re-inserting moves the entry to the end.
        verdicts.delete(key);
        verdicts.set(key, known);
        return known;
      }
      const inspection = inspectDocument(query, limits);
      const verdict: DocumentRefusal | null =
        inspection.kind === 'refused'
          ? {
              code: inspection.violation.code,
              message: inspection.violation.message,
              limit: { max: inspection.violation.max, requested: inspection.violation.requested },
            }
          : inspection.kind === 'malformed'
            ? { code: 'GRAPHQL_VALIDATION_FAILED', message: inspection.message }
            : null;
      if (verdicts.size >= CACHE_SIZE) verdicts.delete(verdicts.keys().next().value as string);
      verdicts.set(key, verdict);
      return verdict;
    },
  };
}

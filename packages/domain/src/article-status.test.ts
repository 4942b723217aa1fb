import { describe, expect, it } from 'vitest';
import { articleTransition } from './article-status.ts';

describe('articleTransition', () => {
  it.each([
    ['DRAFT', 'publish', 'PUBLISHED'],
    ['WITHDRAWN', 'publish', 'PUBLISHED'],
    ['PUBLISHED', 'unpublish', 'DRAFT'],
    ['PUBLISHED', 'withdraw', 'WITHDRAWN'],
  ] as const)('%s → %s → %s', (from, transition, to) => {
    expect(articleTransition(from, transition)).toEqual({ status: to, problem: null });
  });

  it.each([
    ['PUBLISHED', 'publish', 'the article is PUBLISHED; only a DRAFT or WITHDRAWN article can be published'],
    ['DRAFT', 'withdraw', 'the article is DRAFT; only a PUBLISHED article can be withdrawn'],
    ['WITHDRAWN', 'unpublish', 'the article is WITHDRAWN; only a PUBLISHED article can be unpublished'],
  ] as const)('refuses %s → %s', (from, transition, problem) => {
    expect(articleTransition(from, transition)).toEqual({ status: null, problem });
  });
});

import type { ArticleStatus } from './model.ts';

export type ArticleTransition = 'publish' | 'unpublish' | 'withdraw';

// DRAFT → PUBLISHED (publish); PUBLISHED → DRAFT (unpublish: back to editing, as if never out);
// PUBLISHED → WITHDRAWN (withdraw: retracted after publication, kept for the record);
// WITHDRAWN → PUBLISHED (publish again, e.g. after a correction).
const RULES: Record<ArticleTransition, { from: ArticleStatus[]; to: ArticleStatus }> = {
  publish: { from: ['DRAFT', 'WITHDRAWN'], to: 'PUBLISHED' },
  unpublish: { from: ['PUBLISHED'], to: 'DRAFT' },
  withdraw: { from: ['PUBLISHED'], to: 'WITHDRAWN' },
};

/** The status an article moves to, or why it cannot. */
export function articleTransition(
  current: ArticleStatus,
  transition: ArticleTransition,
): { status: ArticleStatus; problem: null } | { status: null; problem: string } {
  const rule = RULES[transition];
  if (rule.from.includes(current)) return { status: rule.to, problem: null };
  return {
    status: null,
    problem: `the article is ${current}; only a ${rule.from.join(' or ')} article can be ${
      transition === 'publish' ? 'published' : transition === 'unpublish' ? 'unpublished' : 'withdrawn'
    }`,
  };
}

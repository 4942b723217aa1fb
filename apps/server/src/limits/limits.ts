// What one GraphQL request may ask for. Every limit is checked before anything executes, and a
// request over any of them is refused whole with the code below and a message naming the limit.

export type QueryLimits = {
  /** Fields on the longest path from the root, fragments expanded: `{ treaty { title } }` is 2. */
  maxDepth: number;
  /** Aliased fields in one operation, fragments expanded, `__typename` included. */
  maxAliases: number;
  /** Directive uses in one operation, fragments expanded. */
  maxDirectives: number;
  /** Lexical tokens in the document (punctuation, names, values; comments and commas are not tokens). */
  maxTokens: number;
  /** The most times one response name may be selected in one selection set, fragments expanded. */
  maxFieldRepeats: number;
  /** Budget for the cost of one operation (see cost.ts): at most this many fields in the response. */
  maxCost: number;
};

/**
 * The cost budget (see cost.ts for how an operation is priced). What real pages cost, with the list
 * sizes the data has: a full page of 100 statements with speaker, source span and article, 3 300; the
 * treaty page (provisions with their statements, timeline, articles, statements), 8 500; 20
 * treaties × every provision × 3 statements each (the nested query the SQL-count test holds to one
 * statement; the UN Charter alone has 111 articles), 61 000; 100 articles with their paragraphs and
 * mentions, 72 000. 100 000 accepts all of them; a third nested page (100 actors × 100 statements ×
 * the statements about their treaties) is 5 million and is refused, as is anything like it.
 */
export const DEFAULT_COST_BUDGET = 100_000;

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 10,
  maxAliases: 30,
  maxDirectives: 10,
  maxTokens: 2_000,
  // Selecting a field again through a fragment is common (`id` in the query and in two fragments);
  // more than this is no real client's doing, and validation compares repeats pairwise.
  maxFieldRepeats: 10,
  maxCost: DEFAULT_COST_BUDGET,
};

export const LIMIT_CODES = {
  maxDepth: 'DEPTH_LIMIT_EXCEEDED',
  maxAliases: 'ALIAS_LIMIT_EXCEEDED',
  maxDirectives: 'DIRECTIVE_LIMIT_EXCEEDED',
  maxTokens: 'TOKEN_LIMIT_EXCEEDED',
  maxFieldRepeats: 'FIELD_REPEAT_LIMIT_EXCEEDED',
  maxCost: 'COST_LIMIT_EXCEEDED',
} as const satisfies Record<keyof QueryLimits, string>;

export type LimitCode = (typeof LIMIT_CODES)[keyof typeof LIMIT_CODES];

/** A refused request: the code, a message saying what was wrong and what is allowed, and the figures. */
export type LimitViolation = {
  limit: keyof QueryLimits;
  code: LimitCode;
  message: string;
  max: number;
  /** What the request asked for (for tokens: more than `max`, counting stops there). */
  requested: number;
};

export function violation(
  limit: keyof QueryLimits,
  max: number,
  requested: number,
  what: string,
): LimitViolation {
  return { limit, code: LIMIT_CODES[limit], message: what, max, requested };
}

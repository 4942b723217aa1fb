import { badInput } from './errors.ts';

export const PAGE_SIZE = { min: 1, max: 100, default: 20 } as const;

export type PageArgs = {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
};

/** One rule for every connection: page sizes are 1–100, and `first` and `last` don't mix. */
export function assertPageArgs(args: PageArgs): void {
  for (const name of ['first', 'last'] as const) {
    const size = args[name];
    if (size === null || size === undefined) continue;
    if (!Number.isInteger(size) || size < PAGE_SIZE.min || size > PAGE_SIZE.max) {
      throw badInput(
        `\`${name}\` must be an integer from ${PAGE_SIZE.min} to ${PAGE_SIZE.max}; got ${size}.`,
      );
    }
  }
  if (args.first != null && args.last != null) {
    throw badInput('Pass either `first` or `last`, not both.');
  }
}

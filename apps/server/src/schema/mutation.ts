import { builder } from '../builder.ts';

// The root of every write. Each type file adds its own mutations (STYLE.md): a mutation checks the
// viewer's role, validates its arguments with the zod schema from @chancery/domain/inputs, calls
// one repository function and returns its payload, or a ValidationError, NotFoundError or
// ConflictError (schema/errors.ts) in its result union.
builder.mutationType({
  description:
    'Change Chancery: needs an editor or admin token (`Authorization: Bearer <token>`). Every change is one ' +
    'transaction, checked against `expectedVersion`, and recorded as a revision.',
});

/** The errors-plugin options of a mutation: its result is `<Name>Result = <Name>Payload | …errors`. */
export const mutationResult = (name: string) => ({
  directResult: true as const,
  union: { name: `${name}Result` },
});

import {
  ConflictError,
  type FieldError,
  NotFoundError,
  ValidationError,
} from '@chancery/domain/write-errors';
import { builder } from '../builder.ts';

// The expected failures of a mutation, returned in its result union (the errors plugin turns a
// thrown error of these classes into its object). Anything else (no token, the wrong role, a bug)
// is a GraphQL error with an `extensions.code`.

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description:
    'Something a mutation could not do, and why: the message says what was wrong and what is allowed.',
  fields: (t) => ({
    message: t.exposeString('message'),
  }),
});

const FieldErrorRef = builder.objectRef<FieldError>('FieldError').implement({
  description: 'One invalid value in the request.',
  fields: (t) => ({
    path: t.exposeStringList('path', {
      description:
        'Where the value is: the argument, then field names and list indexes, e.g. ["input", "roles", "0", "title"].',
    }),
    message: t.exposeString('message', { description: 'What is wrong with it and what is allowed.' }),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The request was not valid; nothing was written. `fieldErrors` lists every problem found.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    fieldErrors: t.field({ type: [FieldErrorRef], resolve: (error) => error.fieldErrors }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'The record to change does not exist, or is deleted; nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The ID that was not found.' }),
  }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description:
    'Someone changed the record after you read it (`expectedVersion` is not its version); nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    currentVersion: t.exposeInt('currentVersion', { description: 'The version the record is at now.' }),
  }),
});
